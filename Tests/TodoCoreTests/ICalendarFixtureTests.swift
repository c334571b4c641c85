import Foundation
import Testing
import TodoCore

/// Files in the shapes other apps write, and files with mistakes.
@Suite struct ICalendarFixtureTests {
    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    @Test func thunderbirdTasks() throws {
        let result = ICalendar.importTodos(Self.crlf(ICalendarFixtures.thunderbird))
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.todos.count == 3)
        let plumber = try #require(result.todos.first)
        #expect(plumber.line == 27)
        #expect(plumber.uid == "5f3c2a1e-8d2b-4c4e-9f0a-1b2c3d4e5f60")
        #expect(plumber.taskID == nil)
        #expect(plumber.draft.title == "Call the plumber, then the landlord")
        #expect(plumber.draft.description == "Kitchen sink leaks. Ask about the invoice; keep receipts.\nAlso check the boiler which has been making a strange noise since October.")
        #expect(plumber.draft.due?.iso == "2026-12-03T17:00:00+01:00")
        #expect(plumber.draft.timeZone == "Europe/Berlin")
        #expect(plumber.draft.priority == 1)
        #expect(plumber.draft.labels == ["home", "urgent-stuff"])
        #expect(plumber.draft.project == nil)
        #expect(plumber.completed == false)
        #expect(plumber.createdAt == Timestamp(rfc3339: "2026-11-01T09:00:00Z"))
        #expect(plumber.updatedAt == Timestamp(rfc3339: "2026-11-02T10:15:00Z"))

        let passport = result.todos[1]
        #expect(passport.draft.title == "Renew passport")
        #expect(passport.completed)
        #expect(passport.completedAt == Timestamp(rfc3339: "2026-10-20T14:30:00Z"))
        #expect(passport.draft.priority == 4)
        #expect(passport.draft.due == .date(LocalDate(year: 2026, month: 11, day: 1)!))
        #expect(passport.draft.recurrence?.rrule == "FREQ=MONTHLY;BYMONTHDAY=1")

        let legacy = result.todos[2]
        #expect(legacy.draft.due?.iso == "2026-07-01T08:00:00+02:00")
        #expect(legacy.draft.timeZone == "Europe/Berlin")
        #expect(legacy.draft.priority == 3)
    }

    @Test func appleReminders() throws {
        let result = ICalendar.importTodos(Self.crlf(ICalendarFixtures.appleReminders))
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.todos.count == 2)
        let milk = try #require(result.todos.first)
        #expect(milk.draft.title == "Buy oat milk, 2 cartons")
        #expect(milk.draft.due?.iso == "2026-12-01T09:00:00-08:00")
        #expect(milk.draft.timeZone == "America/Los_Angeles")
        #expect(milk.draft.priority == 3)
        #expect(milk.draft.project == "Groceries")
        #expect(milk.draft.description == "The barista edition")
        let bread = result.todos[1]
        #expect(bread.completed)
        #expect(bread.completedAt == Timestamp(rfc3339: "2026-11-11T08:00:00Z"))
        #expect(bread.draft.due == .date(LocalDate(year: 2026, month: 11, day: 11)!))
        #expect(bread.draft.priority == nil)
        #expect(bread.draft.project == "Groceries")
        #expect(bread.draft.labels.isEmpty)
    }

    @Test func badLinesAreReportedByLine() throws {
        let result = ICalendar.importTodos(ICalendarFixtures.withMistakes)
        #expect(result.problems.map(\.line) == [1, 5, 6, 7, 8, 9, 11, 13, 17, 24, 26, 28], "\(result.problems)")
        func message(_ line: Int) -> String { result.problems.first { $0.line == line }?.message ?? "" }
        #expect(message(1).contains("BEGIN:VCALENDAR is never closed"))
        #expect(message(5).contains("DUE: \"2026-13-45\" is not a date"))
        #expect(message(6).contains("PRIORITY"))
        #expect(message(7).contains("UNTIL is not supported"))
        #expect(message(8).contains("\"Pacific Standard Time\" is not an IANA time zone"))
        #expect(message(9).contains("\"not/ok\" dropped"))
        #expect(message(11).contains("content line"))
        #expect(message(13).contains("no SUMMARY; skipped"))
        #expect(message(17).contains("title must not be empty"))
        #expect(message(24).contains("recurring task needs a due date"))
        #expect(message(26).contains("BEGIN:VTODO is never closed"))
        #expect(message(28).contains("does not close BEGIN:VTODO on line 26"))
        // The first todo lost its bad properties but was imported; 13, 16 and 26 were skipped; 22 lost its RRULE.
        #expect(result.todos.map(\.line) == [3, 22])
        let first = try #require(result.todos.first)
        #expect(first.draft.title == "Partly broken")
        #expect(first.draft.due == nil)
        #expect(first.draft.priority == nil)
        #expect(first.draft.recurrence == nil)
        #expect(first.draft.labels == ["fine"])
        #expect(first.completed == false)
        #expect(first.completedAt == Timestamp(rfc3339: "2026-05-05T10:00:00Z"))
        #expect(result.todos[1].draft.title == "Repeats without due")
        #expect(result.todos[1].draft.recurrence == nil)
        #expect(result.problems.map(\.description).first == "line 1: BEGIN:VCALENDAR is never closed by END:VCALENDAR")
    }

    @Test func plainLFAndFloatingTimes() throws {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTODO\nSUMMARY:Floating\nDUE:20260301T083000\nCOMPLETED:20260301T093000\nEND:VTODO\nEND:VCALENDAR\n"
        let utc = ICalendar.importTodos(text)
        #expect(utc.problems.isEmpty)
        #expect(utc.todos.first?.draft.due?.iso == "2026-03-01T08:30:00Z")
        #expect(utc.todos.first?.completed == true)
        let tokyo = ICalendar.importTodos(text, floatingZone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(tokyo.todos.first?.draft.due?.iso == "2026-03-01T08:30:00+09:00")
        #expect(tokyo.todos.first?.draft.timeZone == nil)
    }

    @Test func notACalendar() {
        let result = ICalendar.importTodos("hello world\n")
        #expect(result.todos.isEmpty)
        #expect(result.problems.contains { $0.line == 0 && $0.message.contains("not an iCalendar file") })
        #expect(result.problems.contains { $0.line == 1 })
        #expect(ICalendar.importTodos("").todos.isEmpty)
    }

    @Test func garbageNeverCrashes() {
        var rng = SplitMix(seed: 0x5eed)
        let valid = Self.crlf(ICalendarFixtures.thunderbird) + ICalendarFixtures.appleReminders + ICalendarFixtures.withMistakes
        let alphabet = Array("BEGIN:VTODO\r\nEND;TZID=\":,\\ \tDUE VALUE=DATE 2026130T99Z\u{0}é𝄞;".unicodeScalars)
        var imported = 0
        for round in 0..<400 {
            var scalars: [Unicode.Scalar]
            if round % 2 == 0 {
                scalars = Array(valid.unicodeScalars)
                for _ in 0..<(1 + Int(rng.next() % 20)) where !scalars.isEmpty {
                    let at = Int(rng.next() % UInt64(scalars.count))
                    switch rng.next() % 3 {
                    case 0: scalars.remove(at: at)
                    case 1: scalars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                    default: scalars[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                    }
                }
            } else {
                scalars = (0..<Int(rng.next() % 600)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let result = ICalendar.importTodos(text)
            imported += result.todos.count
            for todo in result.todos { #expect((try? todo.draft.validated()) == todo.draft) }
        }
        #expect(imported > 0)
    }
}

/// A small deterministic generator for the fuzz test.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
