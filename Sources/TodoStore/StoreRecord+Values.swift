import TodoCore

// MARK: - Request ids

/// Request ids: 1-128 bytes, no control characters.
func isValidRequestID(_ raw: String) -> Bool {
    let bytes = raw.utf8
    return (1...128).contains(bytes.count) && bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
}

// MARK: - Fast timestamps

/// Parses the canonical form the store writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`) without allocating, falling
/// back to `Timestamp(rfc3339:)` for any other RFC 3339 spelling.
func parseTimestamp(_ text: String) -> Timestamp? {
    var text = text
    return text.withUTF8 { parseTimestamp($0) }
}

/// `parseTimestamp` on raw UTF-8 bytes.
func parseTimestamp(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
    let fast: Timestamp?? = { () -> Timestamp?? in
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x2E, b[23] == 0x5A else { return .none }
        func num(_ at: Int, _ n: Int) -> Int? {
            var v = 0
            for i in at..<(at + n) {
                let d = Int(b[i]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let s = num(17, 2), let ms = num(20, 3), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return .some(nil) }
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        let secs = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        return .some(Timestamp(millisecondsSinceEpoch: secs * 1000 + Int64(ms)))
    }()
    if let fast { return fast }
    return Timestamp(rfc3339: limitFraction(String(decoding: b, as: UTF8.self)))
}

/// Drops fraction digits after the third: `Timestamp(rfc3339:)` ignores them anyway, and (TodoCore as of
/// this writing) traps on more than three (`for _ in n..<3` with n > 3), found by the record fuzzer.
private func limitFraction(_ text: String) -> String {
    let b = Array(text.utf8)
    guard b.count > 20, b[19] == UInt8(ascii: ".") else { return text }
    var end = 20
    while end < b.count, b[end] >= 0x30, b[end] <= 0x39 { end += 1 }
    guard end - 20 > 3 else { return text }
    return String(decoding: b[0..<23] + b[end...], as: UTF8.self)
}
