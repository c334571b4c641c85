// MARK: - JSONLineParser

/// A scalar value of a flat JSON object, as the record decoder needs it.
enum JSONScalar {
    /// A string without escapes, still as raw bytes (validated as UTF-8 when materialized).
    case raw(UnsafeBufferPointer<UInt8>)
    /// A string that had escapes, already unescaped and validated.
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    /// An array whose elements are all strings (labels), unescaped and validated.
    case strings([String])
    /// A number with a fraction or exponent, or a nested object/array: accepted and ignored.
    case other
    /// A string checked to be valid (escapes and UTF-8) but not materialized (the `unmaterialized` key).
    case validated
}

/// A lean, allocation-light parser for one JSON object on one line (the common record shape).
/// Nested values are validated and skipped (depth-limited); strings must be valid UTF-8.
struct JSONLineParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    static let maxDepth = 32

    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "\(reason) at byte \(offset + 1)" }
    }

    /// Parses `bytes` as one JSON object and calls `visit` for each member.
    /// Keys arrive as raw bytes (unescaped first when they contain escapes).
    /// - Parameter unmaterialized: a top-level key whose string value is only validated (arrives as
    ///   `.validated`, accepting and rejecting exactly what a materialized string would), so recovery can
    ///   skip building large strings it keeps as raw lines.
    static func parseObject(
        _ bytes: UnsafeBufferPointer<UInt8>, unmaterialized: StaticString? = nil, visit: (UnsafeBufferPointer<UInt8>, JSONScalar) throws -> Void
    ) throws {
        var parser = JSONLineParser(bytes: bytes)
        parser.skipSpace()
        try parser.expect(UInt8(ascii: "{"))
        parser.skipSpace()
        if parser.peek() == UInt8(ascii: "}") {
            parser.pos += 1
        } else {
            while true {
                parser.skipSpace()
                let key = try parser.parseString()
                parser.skipSpace()
                try parser.expect(UInt8(ascii: ":"))
                parser.skipSpace()
                let value: JSONScalar
                if let unmaterialized, case .raw(let raw) = key, parser.peek() == UInt8(ascii: "\""),
                   raw.elementsEqual(UnsafeBufferPointer(start: unmaterialized.utf8Start, count: unmaterialized.utf8CodeUnitCount)) {
                    try parser.validateString()
                    value = .validated
                } else {
                    value = try parser.parseValue(depth: 1)
                }
                switch key {
                case .raw(let raw): try visit(raw, value)
                case .string(let text): try Array(text.utf8).withUnsafeBufferPointer { try visit($0, value) }
                default: break
                }
                parser.skipSpace()
                if parser.peek() == UInt8(ascii: ",") { parser.pos += 1; continue }
                try parser.expect(UInt8(ascii: "}"))
                break
            }
        }
        parser.skipSpace()
        guard parser.pos == bytes.count else { throw parser.fail("trailing bytes after the object") }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws -> JSONScalar {
        guard let c = peek() else { throw fail("value expected") }
        switch c {
        case UInt8(ascii: "\""): return try parseString()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "["):
            let start = pos
            if let strings = try? parseStringArray() { return .strings(strings) }
            pos = start
            try skipContainer(depth: depth)
            return .other
        case UInt8(ascii: "{"):
            try skipContainer(depth: depth)
            return .other
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    private mutating func skipContainer(depth: Int) throws {
        guard depth < Self.maxDepth else { throw fail("nesting too deep") }
        let open = bytes[pos]
        let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        pos += 1
        skipSpace()
        if peek() == close { pos += 1; return }
        while true {
            skipSpace()
            if open == UInt8(ascii: "{") {
                _ = try parseString()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
            }
            _ = try parseValue(depth: depth + 1)
            skipSpace()
            if peek() == UInt8(ascii: ",") { pos += 1; continue }
            try expect(close)
            return
        }
    }

    /// `["a","b"]` (strings only, at most 64 of them), else throws so the caller skips it as `.other`.
    private mutating func parseStringArray() throws -> [String] {
        try expect(UInt8(ascii: "["))
        var out: [String] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") { pos += 1; return out }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\""), out.count < 64, let text = try parseString().text else { throw fail("not a string array") }
            out.append(text)
            skipSpace()
            if peek() == UInt8(ascii: ",") { pos += 1; continue }
            try expect(UInt8(ascii: "]"))
            return out
        }
    }

    private mutating func parseNumber() throws -> JSONScalar {
        let start = pos
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; pos += 1 }
        guard let first = peek(), first >= 0x30, first <= 0x39 else { throw fail("digit expected") }
        var value: Int64 = 0
        var overflow = false
        if first == 0x30 { pos += 1 } else {
            while let d = peek(), d >= 0x30, d <= 0x39 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(d - 0x30))
                overflow = overflow || o1 || o2
                value = s
                pos += 1
            }
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard let d = peek(), d >= 0x30, d <= 0x39 else { throw fail("digit expected after '.'") }
            while let d = peek(), d >= 0x30, d <= 0x39 { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { pos += 1 }
            guard let d = peek(), d >= 0x30, d <= 0x39 else { throw fail("digit expected in exponent") }
            while let d = peek(), d >= 0x30, d <= 0x39 { pos += 1 }
        }
        _ = start
        guard isInteger, !overflow else { return .other }
        return .int(negative ? -value : value)
    }

    // MARK: Strings

    /// `.raw` for a string without escapes (the common case, no allocation), else `.string`.
    private mutating func parseString() throws -> JSONScalar {
        try expect(UInt8(ascii: "\""))
        let start = pos
        var hasEscape = false
        while true {
            guard let c = peek() else { throw fail("unterminated string") }
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("control character in string") }
            if c == UInt8(ascii: "\\") { hasEscape = true; pos += 2; continue }
            pos += 1
        }
        guard pos < bytes.count else { throw fail("unterminated string") }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<pos])
        pos += 1
        if !hasEscape {
            guard raw.allSatisfy({ $0 < 0x80 }) || String(validating: raw, as: UTF8.self) != nil else { throw fail("invalid UTF-8 in string") }
            return .raw(raw)
        }
        return .string(try unescape(raw, base: start))
    }

    /// Checks a string as `parseString` would (same failures) without building it: escapes must be valid
    /// (surrogates paired), and the bytes between escapes valid UTF-8 (an escape always yields whole scalars,
    /// so this is the same as validating the unescaped result).
    private mutating func validateString() throws {
        try expect(UInt8(ascii: "\""))
        var segment = pos
        while true {
            guard let c = peek() else { throw fail("unterminated string") }
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("control character in string") }
            if c == UInt8(ascii: "\\") {
                try validateUTF8(segment, pos)
                pos = try validateEscape(at: pos)
                segment = pos
                continue
            }
            pos += 1
        }
        try validateUTF8(segment, pos)
        pos += 1
    }

    private func validateUTF8(_ from: Int, _ to: Int) throws {
        guard from < to else { return }
        let segment = UnsafeBufferPointer(rebasing: bytes[from..<to])
        if segment.allSatisfy({ $0 < 0x80 }) { return }
        var iterator = segment.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return
            case .error: throw Failure(offset: from, reason: "invalid UTF-8 in string")
            }
        }
    }

    /// Validates the escape at `at` (a backslash) and returns the offset after it.
    private func validateEscape(at: Int) throws -> Int {
        guard at + 1 < bytes.count else { throw Failure(offset: at, reason: "dangling backslash") }
        switch bytes[at + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
             UInt8(ascii: "r"), UInt8(ascii: "t"):
            return at + 2
        case UInt8(ascii: "u"):
            let scalar = try hex4(at + 2)
            if (0xD800...0xDBFF).contains(scalar) {
                guard at + 12 <= bytes.count, bytes[at + 6] == UInt8(ascii: "\\"), bytes[at + 7] == UInt8(ascii: "u") else {
                    throw Failure(offset: at + 6, reason: "unpaired surrogate")
                }
                guard (0xDC00...0xDFFF).contains(try hex4(at + 8)) else { throw Failure(offset: at + 6, reason: "unpaired surrogate") }
                return at + 12
            }
            guard !(0xDC00...0xDFFF).contains(scalar) else { throw Failure(offset: at + 6, reason: "unpaired surrogate") }
            return at + 6
        default:
            throw Failure(offset: at, reason: "unknown escape")
        }
    }

    private func hex4(_ at: Int) throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw Failure(offset: at, reason: "short \\u escape") }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let h = bytes[k]
            switch h {
            case 0x30...0x39: v = v << 4 | UInt32(h - 0x30)
            case 0x41...0x46: v = v << 4 | UInt32(h - 0x41 + 10)
            case 0x61...0x66: v = v << 4 | UInt32(h - 0x61 + 10)
            default: throw Failure(offset: k, reason: "bad hex digit in \\u escape")
            }
        }
        return v
    }

    private func unescape(_ raw: UnsafeBufferPointer<UInt8>, base: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count else { throw Failure(offset: base + at, reason: "short \\u escape") }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let h = raw[k]
                let d: UInt8
                switch h {
                case 0x30...0x39: d = h - 0x30
                case 0x41...0x46: d = h - 0x41 + 10
                case 0x61...0x66: d = h - 0x61 + 10
                default: throw Failure(offset: base + k, reason: "bad hex digit in \\u escape")
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
            guard i + 1 < raw.count else { throw Failure(offset: base + i, reason: "dangling backslash") }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") else {
                        throw Failure(offset: base + i, reason: "unpaired surrogate")
                    }
                    let low = try hex4(i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw Failure(offset: base + i, reason: "unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw Failure(offset: base + i, reason: "unpaired surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else { throw Failure(offset: base + i, reason: "invalid scalar") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw Failure(offset: base + i - 1, reason: "unknown escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw Failure(offset: base, reason: "invalid UTF-8 in string") }
        return s
    }

    // MARK: Helpers

    private func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipSpace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0D { pos += 1 }
    }

    private mutating func expect(_ c: UInt8) throws {
        guard peek() == c else { throw fail("'\(Character(Unicode.Scalar(c)))' expected") }
        pos += 1
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw fail("bad literal") }
        for k in 0..<n where bytes[pos + k] != word.utf8Start[k] { throw fail("bad literal") }
        pos += n
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: pos, reason: reason) }
}

extension JSONScalar {
    /// The value as a String, when it is a string.
    var text: String? {
        switch self {
        case .raw(let raw): String(decoding: raw, as: UTF8.self)
        case .string(let s): s
        default: nil
        }
    }
}
