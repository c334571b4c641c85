import TodoCore

// MARK: - Parsing

extension JSONValue {
    /// Parses one JSON document (RFC 8259; nesting limited to 64 levels).
    /// - Parameter bytes: UTF-8 text.
    /// - Throws: `ChatKitError.malformedJSON` with the byte offset.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        // Contiguous input (a String's or Substring's UTF-8, a buffer) is copied in one go, not byte by byte.
        let array = bytes.withContiguousStorageIfAvailable { Array($0) } ?? Array(bytes)
        var parser = JSONParser(bytes: array)
        return try parser.parseDocument()
    }

    /// Parses one JSON document from a byte array (no copy).
    /// - Parameter bytes: UTF-8 text.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// Parses JSON text.
    /// - Parameter text: the document.
    public static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }
}

// MARK: - Reading past values

extension JSONParser {
    /// The end of the run of string bytes from `start` that need no decoding (up to a quote, a backslash, a
    /// control character or the end of the input), and whether any of them is above ASCII. Eight bytes at a
    /// time: the lowest byte `JSONStringLiteral.escapeMask` flags in a word is the run's end.
    func plainRun(from start: Int) -> (end: Int, nonASCII: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (start, false) }
            let count = buffer.count
            let highs: UInt64 = 0x8080_8080_8080_8080
            var j = start
            var high: UInt64 = 0
            while j + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                let stops = JSONStringLiteral.escapeMask(word)
                if stops != 0 {
                    // Bytes below the first stop: 8 * (its index) bits.
                    let index = stops.trailingZeroBitCount / 8
                    let kept = index == 0 ? 0 : word & (UInt64.max >> (64 - 8 * index))
                    return (j + index, (high | kept) & highs != 0)
                }
                high |= word
                j += 8
            }
            var tail: UInt8 = 0
            while j < count {
                let b = base[j]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                tail |= b
                j += 1
            }
            return (j, high & highs != 0 || tail >= 0x80)
        }
    }

    /// Reads past one value, checking it as `value()` does, without building it.
    mutating func skipValue() throws {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = bytes[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = close == UInt8(ascii: "}")
            depth += 1
            guard depth <= 64 else { throw fail("nesting too deep") }
            defer { depth -= 1 }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == close { i += 1; return }
            while true {
                skipSpace()
                if isObject {
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    if try skipString() == nil { _ = try string() }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipSpace()
                }
                try skipValue()
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == close { i += 1; return }
                throw fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            if try skipString() == nil { _ = try string() }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try scanNumber()
        }
    }

    /// Reads past the string at `i` (a quote) when it has no escape and no control character, checking its
    /// UTF-8, and returns the index of its closing quote. Returns nil with `i` unchanged otherwise: the
    /// caller then reads it with `string()`, which decodes escapes and reports errors.
    mutating func skipString() throws -> Int? {
        let (end, nonASCII) = plainRun(from: i + 1)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        if nonASCII {
            let start = i + 1
            let valid = bytes.withUnsafeBufferPointer { Self.validString(UnsafeBufferPointer(rebasing: $0[start..<end]), isASCII: false) != nil }
            guard valid else { i = start; throw fail("invalid UTF-8") }
        }
        i = end + 1
        return end
    }
}
