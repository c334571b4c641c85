import Foundation
import Testing
import TodoCore

/// The fixed clocks the phrase tables are read against: a name → (zone, now).
enum PhraseClocks {
    static let all: [String: (zone: String, now: String)] = [
        // Friday 2026-12-04 10:00 in Berlin (+01:00).
        "berlin": ("Europe/Berlin", "2026-12-04T09:00:00Z"),
        // Saturday before spring-forward (2026-03-29 02:00 → 03:00), 12:00 local.
        "berlinSpring": ("Europe/Berlin", "2026-03-28T11:00:00Z"),
        // Saturday before fall-back (2026-10-25 03:00 → 02:00), 12:00 local.
        "berlinFall": ("Europe/Berlin", "2026-10-24T10:00:00Z"),
        // Saturday before US spring-forward (2026-03-08 02:00 → 03:00), 15:00 local.
        "nySpring": ("America/New_York", "2026-03-07T20:00:00Z"),
        // Saturday before US fall-back (2026-11-01 02:00 → 01:00), 12:00 local.
        "nyFall": ("America/New_York", "2026-10-31T16:00:00Z"),
        // Thursday 2026-12-31 20:00 in Kolkata (+05:30, no daylight saving).
        "kolkata": ("Asia/Kolkata", "2026-12-31T14:30:00Z"),
        // The same instant as utcNewYearsEve: already 2027-01-01 01:30 in Kolkata.
        "kolkataNewYear": ("Asia/Kolkata", "2026-12-31T20:00:00Z"),
        // Saturday 2026-01-31 12:00 UTC (a month end).
        "utcJan31": ("UTC", "2026-01-31T12:00:00Z"),
        // 2028-02-10 (leap year) and 2027-02-10 (not), 08:00 UTC.
        "utcLeap": ("UTC", "2028-02-10T08:00:00Z"),
        "utcNonLeap": ("UTC", "2027-02-10T08:00:00Z"),
        // Thursday 2026-12-31 20:00 UTC.
        "utcNewYearsEve": ("UTC", "2026-12-31T20:00:00Z"),
        // Sydney: Saturday before daylight saving ends (2026-04-05 03:00 → 02:00), 12:00 local (+11:00).
        "sydneyApril": ("Australia/Sydney", "2026-04-04T01:00:00Z"),
        // Sydney: Saturday before daylight saving starts (2026-10-04 02:00 → 03:00), 12:00 local (+10:00).
        "sydneyOctober": ("Australia/Sydney", "2026-10-03T02:00:00Z"),
    ]

    static func context(_ name: String) -> DateContext {
        let clock = all[name]!
        return DateContext(now: Timestamp(rfc3339: clock.now)!, zone: TimeZone(identifier: clock.zone)!)
    }
}

/// One row: a clock, a phrase, and what it must give: `2026-12-05`, `2026-12-05T09:00:00+01:00`,
/// `FREQ=DAILY 2026-12-05` (a recurrence and its first due), or `! field: part of the message`.
struct PhraseRow: Sendable, CustomTestStringConvertible {
    let clock: String
    let phrase: String
    let expected: String

    init(_ clock: String, _ phrase: String, _ expected: String) {
        self.clock = clock
        self.phrase = phrase
        self.expected = expected
    }

    var testDescription: String { "\(clock): \"\(phrase)\" → \(expected)" }

    /// The expected error's field and message part, nil for a success row.
    var expectedError: (field: String, message: String)? {
        guard expected.hasPrefix("! "), let colon = expected.firstIndex(of: ":") else { return nil }
        let field = String(expected[expected.index(expected.startIndex, offsetBy: 2)..<colon])
        return (field, String(expected[expected.index(after: colon)...].dropFirst()))
    }
}
