#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Timestamp

/// A point in time with millisecond precision, encoded as RFC 3339 in UTC
/// (`2026-11-22T01:55:05.123Z`).
///
/// Milliseconds keep values exact across an encode/decode round trip, which the crash tests rely on.
public struct Timestamp: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// - Parameter millisecondsSinceEpoch: milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Parses RFC 3339 (`Z` or a numeric offset, optional fraction).
    /// - Parameter rfc3339: the text.
    /// - Returns: nil when it is not RFC 3339.
    public init?(rfc3339: String) {
        guard let ms = parseRFC3339(Array(rfc3339.utf8)) else { return nil }
        self.millisecondsSinceEpoch = ms
    }

    /// The RFC 3339 form, always UTC with milliseconds.
    public var rfc3339: String {
        let text = String(unsafeUninitializedCapacity: 24) { writeRFC3339(to: $0.baseAddress!) ? 24 : 0 }
        return text.isEmpty ? rfc3339OutsideFourDigitYears : text
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, 24 bytes written at `p`, for the years 0 to 9999 (days from civil dates by
    /// Howard Hinnant's algorithm); false, with nothing written, for other years.
    /// - Parameter p: room for 24 bytes.
    public func writeRFC3339(to p: UnsafeMutablePointer<UInt8>) -> Bool {
        let ms = millisecondsSinceEpoch
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = Int(ms - days * 86_400_000)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400 + (month <= 2 ? 1 : 0))
        guard (0...9999).contains(year) else { return false }
        @inline(__always) func two(_ v: Int, at i: Int) {
            p[i] = UInt8(truncatingIfNeeded: 0x30 + v / 10)
            p[i + 1] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
        }
        let seconds = msOfDay / 1000, milliseconds = msOfDay % 1000
        two(year / 100, at: 0); two(year % 100, at: 2); p[4] = 0x2D; two(month, at: 5); p[7] = 0x2D; two(day, at: 8)
        p[10] = 0x54; two(seconds / 3600, at: 11); p[13] = 0x3A; two(seconds / 60 % 60, at: 14); p[16] = 0x3A
        two(seconds % 60, at: 17); p[19] = 0x2E; p[20] = UInt8(truncatingIfNeeded: 0x30 + milliseconds / 100)
        two(milliseconds % 100, at: 21); p[23] = 0x5A
        return true
    }

    /// The RFC 3339 form of a year before 0 or after 9999 (signed, and as many digits as it takes).
    private var rfc3339OutsideFourDigitYears: String {
        var secs = time_t(millisecondsSinceEpoch.floorDiv(1000))
        let ms = Int(millisecondsSinceEpoch - Int64(secs) * 1000)
        var tm = tm()
        gmtime_r(&secs, &tm)
        return pad(Int(tm.tm_year) + 1900, 4) + "-" + pad(Int(tm.tm_mon) + 1, 2) + "-" + pad(Int(tm.tm_mday), 2)
            + "T" + pad(Int(tm.tm_hour), 2) + ":" + pad(Int(tm.tm_min), 2) + ":" + pad(Int(tm.tm_sec), 2)
            + "." + pad(ms, 3) + "Z"
    }

    public var description: String { rfc3339 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// Seconds since the epoch, as a Double.
    public var secondsSinceEpoch: Double { Double(millisecondsSinceEpoch) / 1000 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}


// MARK: - Parsing

private func parseRFC3339(_ b: [UInt8]) -> Int64? {
    func digits(_ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var v = 0
        for i in start..<(start + count) {
            let c = b[i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }
    guard b.count >= 20,
        let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
        let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
        let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
        let second = digits(17, 2),
        (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var i = 19
    var millis = 0
    if i < b.count, b[i] == UInt8(ascii: ".") {
        i += 1
        var n = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            if n < 3 { millis = millis * 10 + Int(b[i] - 0x30) }
            n += 1
            i += 1
        }
        guard n > 0 else { return nil }
        if n < 3 { for _ in n..<3 { millis *= 10 } }
    }
    guard i < b.count else { return nil }
    var offsetSeconds = 0
    if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
        i += 1
    } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
        let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
        guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2) else { return nil }
        offsetSeconds = sign * (oh * 3600 + om * 60)
        i += 6
    } else {
        return nil
    }
    guard i == b.count else { return nil }
    let days = daysFromCivil(year, month, day)
    let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
    return secs * 1000 + Int64(millis)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
