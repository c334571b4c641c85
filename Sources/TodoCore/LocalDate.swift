// MARK: - LocalDate

/// A calendar date without a time or zone (proleptic Gregorian), as in an all-day due date (`2026-12-01`).
///
/// Arithmetic works on the day number (days since 1970-01-01), so it needs no calendar object and no I/O.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (1...9999).
    public let year: Int
    /// The month (1...12).
    public let month: Int
    /// The day of the month (1...31, valid for the month).
    public let day: Int

    /// A valid date, or nil (`2026-02-30` is nil).
    /// - Parameters:
    ///   - year: 1...9999.
    ///   - month: 1...12.
    ///   - day: 1...days in that month.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...LocalDate.days(inMonth: month, year: year)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    /// - Parameter dayNumber: days since the epoch (negative before it).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Parses `YYYY-MM-DD` exactly.
    /// - Parameter iso: the text.
    public init?(iso: String) {
        let b = Array(iso.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let iso = ((dayNumber % 7) + 7 + 3) % 7 + 1
        return Weekday(rawValue: iso)!
    }

    /// `YYYY-MM-DD`.
    public var iso: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }

    public var description: String { iso }

    /// The date `n` days later (earlier when negative).
    /// - Parameter n: days.
    public func adding(days n: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + n) }

    /// The same day `n` months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
    /// - Parameter n: months (may be negative).
    public func adding(months n: Int) -> LocalDate {
        LocalDate.clamped(year: year, month: month + n, day: day)
    }

    /// The date for `day` in the given month, clamped to the month's last day; `month` may overflow into
    /// other years (13 is January of the next year). `day` -1 means the last day.
    /// - Parameters:
    ///   - year: the year.
    ///   - month: the month, 1-based, any integer.
    ///   - day: 1...31, or -1 for the last day.
    public static func clamped(year: Int, month: Int, day: Int) -> LocalDate {
        let index = year * 12 + (month - 1)
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        let m = index - y * 12 + 1
        let last = days(inMonth: m, year: y)
        let d = day < 0 ? last : min(max(day, 1), last)
        return LocalDate(year: min(max(y, 1), 9999), month: m, day: d) ?? LocalDate(dayNumber: 0)
    }

    /// The number of days in a month.
    /// - Parameters:
    ///   - month: 1...12.
    ///   - year: the year.
    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The last day of this date's month.
    public var endOfMonth: LocalDate { LocalDate.clamped(year: year, month: month, day: -1) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

// MARK: - Weekday

/// A day of the week, numbered as ISO 8601 does (Monday 1 ... Sunday 7).
public enum Weekday: Int, CaseIterable, Sendable, Comparable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The RFC 5545 code (`MO` ... `SU`).
    public var code: String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][rawValue - 1] }

    /// The English name (`Monday`).
    public var name: String { ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue - 1] }

    /// The three-letter English abbreviation (`Mon`).
    public var shortName: String { String(name.prefix(3)) }

    /// The weekday for an RFC 5545 code.
    /// - Parameter code: `MO` ... `SU` (any case).
    public init?(code: String) {
        guard let i = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: code.uppercased()) else { return nil }
        self.init(rawValue: i + 1)
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

// MARK: - Helpers

func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
    guard start >= 0, start + count <= b.count else { return nil }
    var v = 0
    for i in start..<(start + count) {
        let c = b[i]
        guard c >= 0x30, c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
    }
    return v
}

func pad(_ value: Int, _ width: Int) -> String {
    let s = String(abs(value))
    let body = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    return value < 0 ? "-" + body : body
}
