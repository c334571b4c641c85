// MARK: - Recurrence

/// How a task repeats: the subset of RFC 5545 RRULE that todod supports, stored and exchanged as RRULE text.
///
/// | part | values |
/// |---|---|
/// | `FREQ` | `DAILY`, `WEEKLY`, `MONTHLY`, `YEARLY` (required) |
/// | `INTERVAL` | 1...999 (default 1) |
/// | `BYDAY` | weekday codes `MO`...`SU`, comma-separated (`WEEKLY` only) |
/// | `BYMONTHDAY` | 1...31 or -1 for the last day (`MONTHLY`, and `YEARLY` with `BYMONTH`) |
/// | `BYMONTH` | 1...12 (`YEARLY` only, with `BYMONTHDAY`) |
///
/// A month without the day asked for uses its last day (the 31st falls on 30 April and 28/29 February).
public struct Recurrence: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The base period.
    public enum Frequency: String, Sendable, CaseIterable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    /// The base period.
    public var frequency: Frequency
    /// Every `interval` periods (1...999).
    public var interval: Int
    /// Weekly: the days of the week, sorted; empty means the due date's weekday.
    public var weekdays: [Weekday]
    /// Monthly/yearly: the day of the month (1...31, -1 = last); nil means the due date's day.
    public var monthDay: Int?
    /// Yearly: the month (1...12); nil means the due date's month.
    public var month: Int?

    /// - Parameters:
    ///   - frequency: the base period.
    ///   - interval: 1...999.
    ///   - weekdays: weekly days.
    ///   - monthDay: the day of the month.
    ///   - month: the month of the year.
    public init(_ frequency: Frequency, interval: Int = 1, weekdays: [Weekday] = [], monthDay: Int? = nil, month: Int? = nil) {
        self.frequency = frequency
        self.interval = interval
        self.weekdays = Array(Set(weekdays)).sorted()
        self.monthDay = monthDay
        self.month = month
    }

    /// Parses RRULE text (with or without the `RRULE:` prefix).
    /// - Parameters:
    ///   - rrule: the text, for example `FREQ=MONTHLY;BYMONTHDAY=1`.
    ///   - field: the field to name in the error.
    /// - Throws: `TodoError.validation(field:)` naming the part that is not supported.
    public init(rrule: String, field: String = "recurrence") throws {
        var text = Substring(rrule.trimmingASCIIWhitespace())
        if text.uppercased().hasPrefix("RRULE:") { text = text.dropFirst(6) }
        func fail(_ why: String) -> TodoError { TodoError.validation(field: field, "\(why) (supported: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with INTERVAL, BYDAY, BYMONTHDAY, BYMONTH)") }
        guard !text.isEmpty, text.utf8.count <= 200 else { throw fail("recurrence must be an RRULE") }
        var frequency: Frequency?, interval = 1, weekdays: [Weekday] = [], monthDay: Int?, month: Int?
        var seen = Set<String>()
        for part in text.split(separator: ";", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2 else { throw fail("\"\(part.prefix(40))\" is not NAME=VALUE") }
            let name = kv[0].uppercased(), value = String(kv[1]).uppercased()
            guard seen.insert(name).inserted else { throw fail("\(name) appears twice") }
            switch name {
            case "FREQ":
                guard let f = Frequency(rawValue: value) else { throw fail("FREQ=\(value.prefix(20)) is not supported") }
                frequency = f
            case "INTERVAL":
                guard let n = Int(value), (1...999).contains(n) else { throw fail("INTERVAL must be 1-999") }
                interval = n
            case "BYDAY":
                for code in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let d = Weekday(code: String(code)) else { throw fail("BYDAY \"\(code.prefix(10))\" is not a plain weekday code (MO-SU)") }
                    weekdays.append(d)
                }
            case "BYMONTHDAY":
                guard let n = Int(value), (1...31).contains(n) || n == -1 else { throw fail("BYMONTHDAY must be 1-31 or -1") }
                monthDay = n
            case "BYMONTH":
                guard let n = Int(value), (1...12).contains(n) else { throw fail("BYMONTH must be 1-12") }
                month = n
            case "WKST" where value == "MO":
                break
            default:
                throw fail("\(name.prefix(20)) is not supported")
            }
        }
        guard let frequency else { throw fail("FREQ is required") }
        if !weekdays.isEmpty && frequency != .weekly { throw fail("BYDAY needs FREQ=WEEKLY") }
        if monthDay != nil && !(frequency == .monthly || frequency == .yearly) { throw fail("BYMONTHDAY needs FREQ=MONTHLY or YEARLY") }
        if month != nil && frequency != .yearly { throw fail("BYMONTH needs FREQ=YEARLY") }
        if frequency == .yearly && (month == nil) != (monthDay == nil) { throw fail("FREQ=YEARLY takes BYMONTH and BYMONTHDAY together") }
        self.init(frequency, interval: interval, weekdays: weekdays, monthDay: monthDay, month: month)
    }

    /// The canonical RRULE text (no prefix), parts in a fixed order.
    public var rrule: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !weekdays.isEmpty { parts.append("BYDAY=" + weekdays.map(\.code).joined(separator: ",")) }
        if let month { parts.append("BYMONTH=\(month)") }
        if let monthDay { parts.append("BYMONTHDAY=\(monthDay)") }
        return parts.joined(separator: ";")
    }

    public var description: String { rrule }

    /// Fills in what the due date implies, so later occurrences never drift (a monthly rule from 31 January
    /// keeps the 31st after a short February).
    /// - Parameter due: the first due date.
    public func anchored(to due: LocalDate) -> Recurrence {
        var out = self
        switch frequency {
        case .monthly where monthDay == nil: out.monthDay = due.day
        case .yearly where month == nil: out.month = due.month; out.monthDay = due.day
        default: break
        }
        return out
    }

    /// The first occurrence strictly after `date`.
    /// - Parameter date: a date (usually the current due date, itself an occurrence).
    public func next(after date: LocalDate) -> LocalDate {
        switch frequency {
        case .daily:
            return date.adding(days: interval)
        case .weekly:
            guard !weekdays.isEmpty else { return date.adding(days: 7 * interval) }
            if let later = weekdays.first(where: { $0 > date.weekday }) {
                return date.adding(days: later.rawValue - date.weekday.rawValue)
            }
            let monday = date.adding(days: 1 - date.weekday.rawValue)
            return monday.adding(days: 7 * interval + weekdays[0].rawValue - 1)
        case .monthly:
            let day = monthDay ?? date.day
            let thisMonth = LocalDate.clamped(year: date.year, month: date.month, day: day)
            if thisMonth > date { return thisMonth }
            return LocalDate.clamped(year: date.year, month: date.month + interval, day: day)
        case .yearly:
            let m = month ?? date.month, day = monthDay ?? date.day
            let thisYear = LocalDate.clamped(year: date.year, month: m, day: day)
            if thisYear > date { return thisYear }
            return LocalDate.clamped(year: date.year + interval, month: m, day: day)
        }
    }

    /// The first occurrence on or after `date` (the due date a new recurring task without one starts on).
    /// The rule has no phase before it is anchored, so this is the first day matching its days, whatever
    /// the interval ("every 2 years on Jan 5" said in November starts next January 5th, not in 14 months).
    /// - Parameter date: usually today.
    public func first(onOrAfter date: LocalDate) -> LocalDate {
        guard !matches(date) else { return date }
        var single = self
        single.interval = 1
        return single.next(after: date)
    }

    /// Whether `date` is itself an occurrence of the rule (ignoring the interval's phase).
    func matches(_ date: LocalDate) -> Bool {
        switch frequency {
        case .daily: return true
        case .weekly: return weekdays.isEmpty || weekdays.contains(date.weekday)
        case .monthly: return monthDay.map { LocalDate.clamped(year: date.year, month: date.month, day: $0) == date } ?? true
        case .yearly:
            guard let month, let monthDay else { return true }
            return LocalDate.clamped(year: date.year, month: month, day: monthDay) == date
        }
    }

    /// A short English summary: "every day", "every 2 weeks on Mon, Wed", "every month on the 1st".
    public var summary: String {
        let unit = ["DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"][frequency.rawValue]!
        var s = interval == 1 ? "every \(unit)" : "every \(interval) \(unit)s"
        if weekdays.count == 5 && !weekdays.contains(.saturday) && !weekdays.contains(.sunday) && interval == 1 { return "every weekday" }
        if !weekdays.isEmpty { s += " on " + weekdays.map(\.shortName).joined(separator: ", ") }
        if let monthDay {
            let day = monthDay == -1 ? "the last day" : "the \(ordinal(monthDay))"
            if let month { s += " on \(monthNames[month - 1]) \(monthDay == -1 ? "(last day)" : String(monthDay))" } else { s += " on \(day)" }
        }
        return s
    }

    public init(from decoder: any Decoder) throws {
        self = try Recurrence(rrule: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rrule)
    }
}

/// English month names, January first.
public let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`.
public func ordinal(_ n: Int) -> String {
    let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
    return "\(n)\(suffix)"
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
