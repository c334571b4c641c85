import Foundation
import Testing
import TodoCore

/// Word salad from the phrase vocabulary: every line either parses or fails with a validation error that
/// names one of the fields quick add reads (never a crash, never another kind of error).
@Suite struct PhraseRobustnessTests {
    static let vocabulary = [
        "every", "other", "day", "days", "week", "month", "year", "on", "the", "last", "at", "in", "next", "this", "end", "of",
        "today", "tomorrow", "tonight", "noon", "midnight", "mon", "friday", "sun", "jan", "feb", "may", "29", "30", "31", "32", "0",
        "5", "-3", "999", "1000", "5pm", "12am", "13pm", "5:30", "25:00", "pm", ",", "and", "2026-02-29", "2028-02-29",
        "2026-12-25T18:30:00Z", "p1", "p5", "@x", "#a", "#b", "\"", "weekday", "daily", "monthly", "1st", "a", "9999", "x",
    ]
    static let fields: Set<String> = ["title", "due", "recurrence", "priority", "labels", "project"]

    @Test func wordSaladParsesOrFailsWithAFieldError() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"].map { TimeZone(identifier: $0)! }
        var parsed = 0, rejected = 0
        for n in 0..<3000 {
            let text = (0..<next(7)).map { _ in Self.vocabulary[next(Self.vocabulary.count)] }.joined(separator: " ")
            let context = DateContext(now: Timestamp(millisecondsSinceEpoch: Int64(next(2_000_000_000)) * 1000), zone: zones[n % zones.count])
            for parse in [{ _ = try DatePhrase.parse(text, in: context) }, { _ = try QuickAdd.parse(text, in: context) }] {
                do {
                    try parse()
                    parsed += 1
                } catch let error as TodoError {
                    #expect(error.code == .validation && Self.fields.contains(error.field ?? ""), "\(text): \(error)")
                    rejected += 1
                } catch {
                    Issue.record("\(text): unexpected \(error)")
                }
            }
        }
        #expect(parsed > 100 && rejected > 100)
    }
}
