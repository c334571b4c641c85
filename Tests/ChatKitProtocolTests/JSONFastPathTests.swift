import Testing
import ChatKitProtocol

// MARK: - Fast paths of the JSON writer and parser

/// The escapes `JSONValue.writeString` must produce, one byte at a time (the reference for the word-at-a-time
/// writer).
private func naiveEscaped(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

@Suite("JSON fast paths")
struct JSONFastPathTests {
    @Test("Every character that needs an escape is found at every position of strings 0-40 bytes long, beside non-ASCII")
    func escapesAtEveryOffset() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\t", "\u{7F}", "é", " ", "!", "#", "[", "]", "\u{FF}"]
        for length in 0...40 {
            for position in 0..<max(length, 1) {
                for special in specials {
                    var chars = Array(repeating: Character("a"), count: length)
                    if position < length { chars[position] = special }
                    if length > 3 { chars[length - 1] = "🌍" }
                    let text = String(chars)
                    let encoded = JSONValue.string(text).text
                    #expect(encoded == naiveEscaped(text), "length \(length), position \(position), \(special.debugDescription)")
                    #expect(try JSONValue.parse(encoded) == .string(text))
                }
            }
        }
    }

    @Test("Bytes that are not UTF-8 are rejected on the fast path too, even when repairing them would keep the length")
    func invalidUTF8() {
        let bad: [[UInt8]] = [
            [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x41], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF],
            [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x80], [0xF4, 0x90, 0x80, 0x80],
        ]
        for bytes in bad {
            #expect(throws: ChatKitError.self, "\(bytes)") { try JSONValue.parse([0x22] + bytes + [0x22]) }
            #expect(throws: ChatKitError.self, "\(bytes) after an escape") { try JSONValue.parse([0x22, 0x5C, 0x6E] + bytes + [0x22]) }
        }
        #expect(throws: Never.self) { try JSONValue.parse([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]) }
    }

    @Test("A Substring's UTF-8 parses the same as a String's (the contiguous copy)")
    func substringInput() throws {
        let line = #"data: {"a":"é","b":[1,2.5,null]}  "#
        let json = line.dropFirst(6).dropLast(2)
        #expect(try JSONValue.parse(json.utf8) == JSONValue.parse(String(json)))
        #expect(try JSONValue.parse(json.utf8).text == #"{"a":"é","b":[1,2.5,null]}"#)
    }
}
