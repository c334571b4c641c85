import Testing
@testable import ChatKitProtocol

// MARK: - JSONParser.plainRun: the word-at-a-time scan against a byte-by-byte one

/// Where the run of string bytes from `start` ends (a quote, a backslash, a control character or the end)
/// and whether a byte above ASCII comes before that: the definition, one byte at a time.
private func referenceRun(_ bytes: [UInt8], from start: Int) -> (end: Int, nonASCII: Bool) {
    var j = start
    var nonASCII = false
    while j < bytes.count {
        let b = bytes[j]
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
        if b >= 0x80 { nonASCII = true }
        j += 1
    }
    return (j, nonASCII)
}

@Suite("JSON string runs")
struct PlainRunTests {
    /// A deterministic generator (xorshift), so a failure names a reproducible case.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    @Test("the end and the non-ASCII flag equal the byte-by-byte scan's, at every offset and stop position")
    func matchesReference() {
        // Stops, their neighbours in value, and bytes above ASCII, mixed with plain letters.
        let alphabet: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
            + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        var random = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var checked = 0
        for _ in 0..<4000 {
            let length = random.next(40)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                // Mostly plain letters, so long runs (several words) occur as well as early stops.
                bytes.append(random.next(4) == 0 ? alphabet[random.next(alphabet.count)] : UInt8(ascii: "a") + UInt8(random.next(26)))
            }
            for start in 0...bytes.count {
                let parser = JSONParser(bytes: bytes)
                let got = parser.plainRun(from: start)
                let want = referenceRun(bytes, from: start)
                #expect(got.end == want.end && got.nonASCII == want.nonASCII, "\(bytes) from \(start)")
                checked += 1
            }
        }
        #expect(checked > 40_000)
    }

    @Test("each stop byte ends the run at each position of a word, after plain and after non-ASCII bytes")
    func everyStopEveryLane() {
        for stop: UInt8 in [0x22, 0x5C, 0x00, 0x0A, 0x1F] {
            for lane in 0..<8 {
                for filler: UInt8 in [UInt8(ascii: "x"), 0xC3] {
                    let bytes = [UInt8](repeating: filler, count: 8 + lane) + [stop] + [UInt8](repeating: UInt8(ascii: "y"), count: 9)
                    let got = JSONParser(bytes: bytes).plainRun(from: 0)
                    #expect(got.end == 8 + lane && got.nonASCII == (filler >= 0x80), "stop \(stop) in lane \(lane), filler \(filler)")
                }
            }
        }
        // Bytes above ASCII after the stop do not count.
        let after = Array("ab\"".utf8) + [0xC3, 0xA9] + Array("cdefgh".utf8)
        #expect(JSONParser(bytes: after).plainRun(from: 0) == (2, false))
    }
}
