import Foundation
import Testing
import TodoCore

@Suite struct DatePhraseTests {
    @Test func tableIsLargeAndCoversZones() {
        #expect(DatePhraseTable.rows.count + QuickAddTable.rows.count >= 150)
        let zones = Set((DatePhraseTable.rows.map(\.clock) + QuickAddTable.rows.map(\.clock)).map { PhraseClocks.all[$0]!.zone })
        #expect(zones.isSuperset(of: ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]))
    }

    @Test(arguments: DatePhraseTable.rows)
    func phrase(_ row: PhraseRow) throws {
        let context = PhraseClocks.context(row.clock)
        if let (field, message) = row.expectedError {
            let error = #expect(throws: TodoError.self) { try DatePhrase.parse(row.phrase, in: context) }
            #expect(error?.field == field)
            #expect(error?.message.contains(message) == true, "message was: \(error?.message ?? "none")")
            return
        }
        let parsed = try DatePhrase.parse(row.phrase, in: context)
        let got = parsed.recurrence.map { "\($0.rrule) \(parsed.due.iso)" } ?? parsed.due.iso
        #expect(got == row.expected)
    }

    @Test func parseDueAndParseRecurrenceKeepTheirFields() throws {
        let context = PhraseClocks.context("berlin")
        #expect(try DatePhrase.parseDue("tomorrow", in: context) == .date(LocalDate(year: 2026, month: 12, day: 5)!))
        let error = #expect(throws: TodoError.self) { try DatePhrase.parseDue("every day", in: context) }
        #expect(error?.field == "due")
        #expect(error?.message == "could not understand \"every\" in \"every day\"")
        let (rule, due) = try DatePhrase.parseRecurrence("every mon, wed at 7am", in: context)
        #expect(rule.rrule == "FREQ=WEEKLY;BYDAY=MO,WE")
        #expect(rule.summary == "every week on Mon, Wed")
        #expect(due.iso == "2026-12-07T07:00:00+01:00")
        let notRule = #expect(throws: TodoError.self) { try DatePhrase.parseRecurrence("tomorrow", in: context) }
        #expect(notRule?.field == "recurrence")
        #expect(notRule?.message.contains("\"tomorrow\"") == true)
    }

    @Test func exactMessagesForTheBriefsExamples() {
        let context = PhraseClocks.context("berlin")
        let cases = [
            ("next blursday", "could not understand \"blursday\" in \"next blursday\""),
            ("feb 30", "\"feb 30\" is not a date"),
            ("25:00", "\"25:00\" is not a time"),
            ("at 9 5pm", "\"at 9 5pm\" gives two times"),
        ]
        for (phrase, message) in cases {
            let error = #expect(throws: TodoError.self) { try DatePhrase.parseDue(phrase, in: context) }
            #expect(error == TodoError.validation(field: "due", message))
        }
    }

    @Test func longInputIsRejectedNotParsed() {
        let error = #expect(throws: TodoError.self) {
            try DatePhrase.parse(String(repeating: "tomorrow ", count: 40), in: PhraseClocks.context("berlin"))
        }
        #expect(error?.message.contains("longer than 200") == true)
    }
}
