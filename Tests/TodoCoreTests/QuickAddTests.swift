import Foundation
import Testing
import TodoCore

@Suite struct QuickAddTests {
    /// `title | due | rrule | pN | @labels | #project`, parts present only when set.
    static func summary(_ r: QuickAddResult) -> String {
        var parts = [r.title]
        if let due = r.due { parts.append(due.iso) }
        if let rule = r.recurrence { parts.append(rule.rrule) }
        if let p = r.priority { parts.append("p\(p)") }
        if !r.labels.isEmpty { parts.append(r.labels.map { "@" + $0 }.joined(separator: ",")) }
        if let project = r.project { parts.append("#" + project) }
        return parts.joined(separator: " | ")
    }

    @Test(arguments: QuickAddTable.rows)
    func line(_ row: PhraseRow) throws {
        let context = PhraseClocks.context(row.clock)
        if let (field, message) = row.expectedError {
            let error = #expect(throws: TodoError.self) { try QuickAdd.parse(row.phrase, in: context) }
            #expect(error?.field == field)
            #expect(error?.message.contains(message) == true, "message was: \(error?.message ?? "none")")
            return
        }
        let result = try QuickAdd.parse(row.phrase, in: context)
        #expect(Self.summary(result) == row.expected)
        #expect(result.timeZone == (result.due?.instant == nil ? nil : context.zone.identifier))
        #expect((result.dateText == nil) == (result.due == nil))
    }

    @Test func resultCarriesTheWordsReadAndADraft() throws {
        let context = PhraseClocks.context("berlin")
        let r = try QuickAdd.parse("Pay rent every month on the 1st p1 @bills #home", in: context)
        #expect(r.dateText == "every month on the 1st")
        let draft = try r.draft.validated()
        #expect(draft.title == "Pay rent" && draft.priority == 1 && draft.labels == ["bills"] && draft.project == "home")
        #expect(draft.recurrence?.rrule == "FREQ=MONTHLY;BYMONTHDAY=1")
        let timed = try QuickAdd.parse("Call Mum on Friday at 5pm", in: context)
        #expect(timed.dateText == "on Friday at 5pm")
        #expect(timed.timeZone == "Europe/Berlin")
        #expect(timed.draft.timeZone == "Europe/Berlin")
        let dayOnly = try QuickAdd.parse("Call mum friday", in: context)
        #expect(dayOnly.timeZone == nil)
    }

    @Test func parsingALineTakesMicroseconds() throws {
        let context = PhraseClocks.context("berlin")
        let line = "Pay rent and call the landlord about the heating every month on the 1st at 9am p1 @bills #home"
        _ = try QuickAdd.parse(line, in: context)
        let clock = ContinuousClock()
        let runs = 200
        let elapsed = try clock.measure {
            for _ in 0..<runs { _ = try QuickAdd.parse(line, in: context) }
        }
        // Generous for a loaded debug build; the point is "not milliseconds per line".
        #expect(elapsed / runs < .milliseconds(2), "took \(elapsed / runs) per line")
    }
}
