import Foundation
import Testing
import TodoCore

@Suite struct RecurrenceTests {
    static func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// Follows `next(after:)` from `start` and returns the dates it visits.
    static func walk(_ rule: Recurrence, from start: String, steps: Int) -> [String] {
        var out: [String] = [], date = d(start)
        for _ in 0..<steps {
            date = rule.next(after: date)
            out.append(date.iso)
        }
        return out
    }

    @Test func monthlyOnThe31stClampsInShortMonthsAndComesBack() {
        let rule = Recurrence(.monthly, monthDay: 31)
        #expect(Self.walk(rule, from: "2026-01-31", steps: 4) == ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"])
        #expect(Self.walk(rule, from: "2028-01-31", steps: 2) == ["2028-02-29", "2028-03-31"])
        // Anchoring keeps the 31st even when the first due is a short month's end.
        let anchored = Recurrence(.monthly).anchored(to: Self.d("2026-01-31"))
        #expect(anchored.rrule == "FREQ=MONTHLY;BYMONTHDAY=31")
        #expect(Self.walk(Recurrence(.monthly, interval: 3, monthDay: -1), from: "2026-01-31", steps: 2) == ["2026-04-30", "2026-07-31"])
    }

    @Test func weeklyWithDaysAndInterval() {
        let mwf = Recurrence(.weekly, weekdays: [.friday, .monday, .wednesday])
        #expect(mwf.rrule == "FREQ=WEEKLY;BYDAY=MO,WE,FR")
        #expect(Self.walk(mwf, from: "2026-12-07", steps: 4) == ["2026-12-09", "2026-12-11", "2026-12-14", "2026-12-16"])
        let everyOther = Recurrence(.weekly, interval: 2, weekdays: [.monday, .friday])
        #expect(Self.walk(everyOther, from: "2026-12-07", steps: 3) == ["2026-12-11", "2026-12-21", "2026-12-25"])
        #expect(Self.walk(Recurrence(.weekly, interval: 2), from: "2026-12-04", steps: 2) == ["2026-12-18", "2027-01-01"])
    }

    @Test func yearlyOnFebruary29() {
        let rule = Recurrence(.yearly).anchored(to: Self.d("2028-02-29"))
        #expect(rule.rrule == "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
        #expect(Self.walk(rule, from: "2028-02-29", steps: 4) == ["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"])
        #expect(Self.walk(Recurrence(.yearly, interval: 2, monthDay: 5, month: 1), from: "2027-01-05", steps: 1) == ["2029-01-05"])
    }

    @Test func firstOnOrAfterFindsTheNextMatchingDayWhateverTheInterval() {
        let today = Self.d("2026-12-04")
        #expect(Recurrence(.yearly, interval: 2, monthDay: 5, month: 1).first(onOrAfter: today).iso == "2027-01-05")
        #expect(Recurrence(.weekly, interval: 2, weekdays: [.monday]).first(onOrAfter: today).iso == "2026-12-07")
        #expect(Recurrence(.monthly, interval: 2, monthDay: 1).first(onOrAfter: today).iso == "2027-01-01")
        #expect(Recurrence(.weekly, weekdays: [.friday]).first(onOrAfter: today).iso == "2026-12-04")
        #expect(Recurrence(.daily, interval: 5).first(onOrAfter: today).iso == "2026-12-04")
    }

    @Test func rruleTextRoundTrips() throws {
        for text in ["FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"] {
            #expect(try Recurrence(rrule: text).rrule == text)
        }
        let error = #expect(throws: TodoError.self) { try Recurrence(rrule: "FREQ=HOURLY") }
        #expect(error?.field == "recurrence")
    }
}
