/// JSON string literals, written the one way todod writes them everywhere (ChatKit events, model requests,
/// the store's records): quotes around the UTF-8, `\"` `\\` `\n` `\r` `\t` `\b` `\f`, other control characters
/// as `\u00XX`, everything else (non-ASCII included) as it is.
public enum JSONStringLiteral {
    /// Appends `s` as a JSON string literal.
    /// - Parameters:
    ///   - s: the string.
    ///   - out: the buffer.
    public static func append(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Copy runs of bytes that need no escape in one go; escape the rest. Eight bytes at a time are
            // skipped while none of them is a control character, a quote or a backslash.
            guard let base = utf8.baseAddress else { return }
            let count = utf8.count
            var run = 0
            var i = 0
            while i < count {
                if i + 8 <= count, !needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let b = base[i]
                i += 1
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                let at = i - 1
                if run < at { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<at])) }
                run = i
                out.append(0x5C)
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    out.append(UInt8(ascii: "u"))
                    out.append(0x30)
                    out.append(0x30)
                    out.append(hex.utf8Start[Int(b >> 4)])
                    out.append(hex.utf8Start[Int(b & 0xF)])
                }
            }
            if run < count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is below 0x20, a quote or a backslash (bytes of 0x80 and
    /// above never match: they are parts of UTF-8 sequences, written as they are).
    @inlinable @inline(__always)
    public static func needsEscape(_ word: UInt64) -> Bool { escapeMask(word) != 0 }

    /// The high bit of each byte of `word` (little-endian: byte 0 in the low bits) that is below 0x20, a quote
    /// or a backslash. A borrow can wrongly flag only a byte above a rightly flagged one, so the lowest flag is
    /// always right: `trailingZeroBitCount / 8` is the first such byte.
    @inlinable @inline(__always)
    public static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        return (below | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs
    }

    /// Whether any byte of `bytes` needs an escape.
    public static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var i = 0
        while i + 8 <= bytes.count {
            if needsEscape(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))) { return true }
            i += 8
        }
        while i < bytes.count {
            let b = base[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
            i += 1
        }
        return false
    }
}
