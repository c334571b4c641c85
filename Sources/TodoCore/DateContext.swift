public import Foundation

// MARK: - DateContext

/// "Now" and the time zone a request is seen from: what turns "tomorrow", "overdue" and "every day at 9"
/// into absolute values. Pure: built from a clock reading and a zone, it does no I/O.
public struct DateContext: Sendable {
    /// The current time.
    public var now: Timestamp
    /// The zone "today" and wall-clock times are in.
    public var zone: TimeZone
    private var calendar: Calendar

    /// - Parameters:
    ///   - now: the current time.
    ///   - zone: the user's time zone.
    public init(now: Timestamp, zone: TimeZone) {
        self.now = now
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// A context in UTC (for callers that know no zone).
    /// - Parameter now: the current time.
    public static func utc(_ now: Timestamp) -> DateContext {
        DateContext(now: now, zone: TimeZone(identifier: "UTC")!)
    }

    /// Resolves an IANA zone name (`Europe/Berlin`, `UTC`).
    /// - Parameters:
    ///   - name: the zone's name.
    ///   - field: the field to name in the error.
    /// - Throws: `TodoError.validation(field:)` when the zone is unknown.
    public static func zone(named name: String, field: String = "time_zone") throws -> TimeZone {
        guard name.utf8.count <= 64, !name.isEmpty, let zone = TimeZone(identifier: name) else {
            throw TodoError.validation(field: field, "unknown time zone \"\(name.prefix(64))\" (use an IANA name such as Europe/Berlin)")
        }
        return zone
    }

    /// Today's date in the zone.
    public var today: LocalDate { localDate(of: now) }

    /// The local date of an instant in the zone.
    /// - Parameter instant: the instant.
    public func localDate(of instant: Timestamp) -> LocalDate {
        let seconds = instant.millisecondsSinceEpoch.floorDivided(by: 1000) + Int64(offset(at: instant))
        return LocalDate(dayNumber: Int(seconds.floorDivided(by: 86_400)))
    }

    /// Seconds since local midnight of an instant in the zone.
    /// - Parameter instant: the instant.
    public func secondOfDay(of instant: Timestamp) -> Int {
        let seconds = instant.millisecondsSinceEpoch.floorDivided(by: 1000) + Int64(offset(at: instant))
        return Int(seconds - seconds.floorDivided(by: 86_400) * 86_400)
    }

    /// The zone's offset from UTC at an instant, in seconds.
    /// - Parameter instant: the instant.
    public func offset(at instant: Timestamp) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: instant.secondsSinceEpoch))
    }

    /// The instant a local wall-clock time happens in the zone. A time skipped by a daylight-saving change
    /// moves forward by the gap (02:30 on a spring-forward night is 03:30); a repeated time is its first instance.
    /// - Parameters:
    ///   - date: the local date.
    ///   - secondOfDay: seconds after local midnight (0..<86,400).
    public func instant(on date: LocalDate, at secondOfDay: Int) -> Timestamp {
        let parts = DateComponents(year: date.year, month: date.month, day: date.day,
                                   hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
        if let d = calendar.date(from: parts) {
            return Timestamp(millisecondsSinceEpoch: Int64((d.timeIntervalSince1970 * 1000).rounded()))
        }
        // Foundation found no answer (not expected for the Gregorian calendar): fall back to the offset at noon UTC.
        let guess = Timestamp(millisecondsSinceEpoch: Int64(date.dayNumber) * 86_400_000 + 43_200_000)
        return Timestamp(millisecondsSinceEpoch: (Int64(date.dayNumber) * 86_400 + Int64(secondOfDay) - Int64(offset(at: guess))) * 1000)
    }

    /// The instant local midnight starts `date` (the first instant of the day if midnight is skipped).
    /// - Parameter date: the local date.
    public func startOfDay(_ date: LocalDate) -> Timestamp { instant(on: date, at: 0) }

    /// A due value for a local date and wall-clock time, with the zone's offset at that time.
    /// - Parameters:
    ///   - date: the local date.
    ///   - secondOfDay: seconds after local midnight.
    public func due(on date: LocalDate, at secondOfDay: Int) -> TaskDue {
        TaskDue.at(instant(on: date, at: secondOfDay), in: self)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func floorDivided(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
