#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TodoCore

// MARK: - Timestamp.rfc3339 against the C library's calendar

/// The RFC 3339 text of `ms` by `gmtime_r` and `snprintf`: an implementation that shares nothing with
/// `Timestamp`'s (which computes the civil date itself).
private func reference(_ ms: Int64) -> String {
    var seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
    let millis = Int32(ms - Int64(seconds) * 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let year = Int32(parts.tm_year) + 1900
    let sign = year < 0 ? "-" : ""
    _ = withVaList([abs(year), parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis]) {
        vsnprintf(&buffer, buffer.count, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", $0)
    }
    return sign + String(cString: buffer)
}

@Suite("Timestamp formatting")
struct TimestampFormatTests {
    @Test("rfc3339 equals the C library's calendar from year 0 to 9999, edges included, and parses back")
    func fourDigitYears() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var instants: [Int64] = [0, -1, 1, 999, 1000, -1000, -1001, 86_399_999, 86_400_000, 951_782_400_000, 4_107_542_399_999,
                                 253_402_300_799_999, -62_167_219_200_000]
        for _ in 0..<20_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            instants.append(-62_167_219_200_000 + Int64(state % 315_537_897_600_000))
        }
        for ms in instants {
            let t = Timestamp(millisecondsSinceEpoch: ms)
            #expect(t.rfc3339 == reference(ms), "\(ms)")
            #expect(Timestamp(rfc3339: t.rfc3339) == t, "\(ms) round trip")
        }
    }

    @Test("years outside 0-9999 keep their sign and every digit")
    func otherYears() {
        #expect(Timestamp(millisecondsSinceEpoch: 253_402_300_800_000).rfc3339 == "10000-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -62_167_219_200_001).rfc3339 == "-0001-12-31T23:59:59.999Z")
        var buffer = [UInt8](repeating: 0, count: 24)
        #expect(!Timestamp(millisecondsSinceEpoch: 253_402_300_800_000).writeRFC3339(to: &buffer) && buffer.allSatisfy { $0 == 0 })
    }
}
