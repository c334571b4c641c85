// MARK: - TaskDue

/// When a task is due: a whole day (`2026-12-01`) or a moment with the UTC offset it was given in
/// (`2026-12-01T17:00:00+01:00`). Encoded as that text everywhere (store, JSON, MCP, iCalendar).
public enum TaskDue: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// An all-day due date.
    case date(LocalDate)
    /// A local date and time (seconds after midnight) at a UTC offset (seconds east of UTC).
    case dateTime(LocalDate, secondOfDay: Int, offsetSeconds: Int)

    /// Parses `YYYY-MM-DD` or RFC 3339 with seconds and an offset or `Z` (a fraction is accepted and dropped).
    /// - Parameters:
    ///   - text: the text.
    ///   - field: the field to name in the error (`due`).
    /// - Throws: `TodoError.validation(field:)` saying what form is expected.
    public init(iso text: String, field: String = "due") throws {
        if let date = LocalDate(iso: text) { self = .date(date); return }
        let b = Array(text.utf8)
        let expected = "\(field) must be a date (2026-12-01) or a date-time with its offset (2026-12-01T17:00:00+01:00)"
        guard b.count >= 20, b.count <= 40, let date = LocalDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let h = digits(b, 11, 2), let m = digits(b, 14, 2), let s = digits(b, 17, 2), h < 24, m < 60, s < 60
        else { throw TodoError.validation(field: field, expected) }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { throw TodoError.validation(field: field, expected) }
        }
        guard i < b.count else { throw TodoError.validation(field: field, expected) }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"), let oh = digits(b, i + 1, 2), let om = digits(b, i + 4, 2), oh <= 18, om < 60 else {
                throw TodoError.validation(field: field, expected)
            }
            offset = (b[i] == UInt8(ascii: "-") ? -1 : 1) * (oh * 3600 + om * 60)
            i += 6
        }
        guard i == b.count else { throw TodoError.validation(field: field, expected) }
        self = .dateTime(date, secondOfDay: h * 3600 + m * 60 + s, offsetSeconds: offset)
    }

    /// The due value for an instant, at the zone's offset then.
    /// - Parameters:
    ///   - instant: the moment.
    ///   - context: the zone to express it in.
    public static func at(_ instant: Timestamp, in context: DateContext) -> TaskDue {
        let offset = context.offset(at: instant)
        let local = instant.millisecondsSinceEpoch.floorDivided(by: 1000) + Int64(offset)
        let day = local.floorDivided(by: 86_400)
        return .dateTime(LocalDate(dayNumber: Int(day)), secondOfDay: Int(local - day * 86_400), offsetSeconds: offset)
    }

    /// The canonical text: `2026-12-01` or `2026-12-01T17:00:00+01:00` (`Z` for offset zero).
    public var iso: String {
        switch self {
        case .date(let d): return d.iso
        case .dateTime(let d, let sec, let offset):
            let time = pad(sec / 3600, 2) + ":" + pad(sec / 60 % 60, 2) + ":" + pad(sec % 60, 2)
            guard offset != 0 else { return d.iso + "T" + time + "Z" }
            let sign = offset < 0 ? "-" : "+"
            return d.iso + "T" + time + sign + pad(abs(offset) / 3600, 2) + ":" + pad(abs(offset) / 60 % 60, 2)
        }
    }

    public var description: String { iso }

    /// The date part (in the due's own offset for a date-time).
    public var date: LocalDate {
        switch self {
        case .date(let d): d
        case .dateTime(let d, _, _): d
        }
    }

    /// The wall-clock time in seconds after midnight, nil for an all-day due.
    public var secondOfDay: Int? {
        if case .dateTime(_, let s, _) = self { return s }
        return nil
    }

    /// The exact instant of a date-time due; nil for an all-day due.
    public var instant: Timestamp? {
        guard case .dateTime(let d, let sec, let offset) = self else { return nil }
        return Timestamp(millisecondsSinceEpoch: (Int64(d.dayNumber) * 86_400 + Int64(sec) - Int64(offset)) * 1000)
    }

    /// A sort key: the local date, then all-day before timed, then the time.
    var sortKey: Int64 {
        Int64(date.dayNumber) * 100_000 + Int64((secondOfDay ?? -1) + 1)
    }

    /// Orders by date, all-day first within a day, then by time.
    public static func < (lhs: TaskDue, rhs: TaskDue) -> Bool { lhs.sortKey < rhs.sortKey }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self = try TaskDue(iso: try c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}
