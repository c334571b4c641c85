import Testing
import TodoCore
@testable import TodoStore

// MARK: - Feedback in the thread table

@Suite("Store: feedback in the thread table")
struct ThreadTableFeedbackTests {
    /// The item-count test's mix plus feedback lines (both kinds, on live and on deleted items).
    static func records(seed: UInt64, count: Int) -> [StoreRecord] {
        var rng = seed ^ 0x5EED
        func next(_ bound: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(bound))
        }
        var out = ThreadTableCountTests.records(seed: seed, count: count)
        for i in stride(from: out.count - 1, through: 0, by: -3) {
            out.insert(.feedback(threadID: "thr_\(next(4))", itemID: "it_\(next(12))", kind: next(2) == 0 ? .positive : .negative), at: i)
        }
        return out
    }

    @Test("the live feedback count equals a recount after each change, and a compaction snapshot rebuilds the same feedback",
          arguments: [1, 2, 3, 42] as [UInt64])
    func countAndSnapshot(seed: UInt64) {
        var table = ThreadTable()
        for record in Self.records(seed: seed, count: 600) {
            table.apply(record)
            #expect(table.feedbackCount == table.feedback.values.reduce(0) { $0 + $1.count }, "after \(record)")
            if case .itemDeleted(let id, let threadID) = record { #expect(table.feedback[threadID]?[id] == nil) }
            if case .threadDeleted(let id) = record { #expect(table.feedback[id] == nil) }
        }
        let counts = table.feedbackCounts()
        #expect(counts.total == table.feedbackCount)
        #expect(table.feedbackCount > 0, "the mix leaves feedback to count")
        var rebuilt = ThreadTable()
        for batch in table.snapshotRecords() { for record in batch.records { rebuilt.apply(record) } }
        #expect(rebuilt.feedback == table.feedback)
        #expect(rebuilt.feedbackCounts() == counts)
        #expect(rebuilt.liveLineCount == table.liveLineCount)
    }
}
