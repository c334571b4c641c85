import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Feedback on thread items

@Suite("Store contract: feedback on items", .timeLimit(.minutes(2)))
struct FeedbackContractTests {
    let alice = user("alice")
    let bob = user("bob")
    static func at(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: 1_767_225_600_000 + ms) }

    private func seed(_ store: any DataStore, thread: String, items: Int) async throws {
        try await store.saveThread(StoredThread(id: thread, createdAt: Self.at(0), payload: "{}"), for: alice)
        for i in 0..<items {
            try await store.saveItem(StoredItem(id: "\(thread)_it\(i)", threadID: thread, createdAt: Self.at(Int64(i)), payload: #"{"n":\#(i)}"#),
                                     for: alice)
        }
    }

    @Test("feedback: latest kind per item wins, counted per user, other users see nothing", arguments: StoreKind.available)
    func latestWins(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts())
            try await seed(store, thread: "thr_f", items: 3)
            try await store.saveFeedback(.positive, itemIDs: ["thr_f_it0", "thr_f_it1"], threadID: "thr_f", for: alice)
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts(positive: 2, negative: 0))
            try await store.saveFeedback(.negative, itemIDs: ["thr_f_it1"], threadID: "thr_f", for: alice)
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts(positive: 1, negative: 1))
            #expect(try await store.feedback(threadID: "thr_f", for: alice) == ["thr_f_it0": .positive, "thr_f_it1": .negative])
            // Saving the same verdict again and an empty list change nothing.
            try await store.saveFeedback(.negative, itemIDs: ["thr_f_it1", "thr_f_it1"], threadID: "thr_f", for: alice)
            try await store.saveFeedback(.positive, itemIDs: [], threadID: "thr_f", for: alice)
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts(positive: 1, negative: 1))
            // Replacing an item keeps its feedback.
            try await store.saveItem(StoredItem(id: "thr_f_it0", threadID: "thr_f", createdAt: Self.at(0), payload: #"{"n":"edited"}"#), for: alice)
            #expect(try await store.feedback(threadID: "thr_f", for: alice)["thr_f_it0"] == .positive)
            // Another user's thread behaves like a missing one.
            #expect(try await store.feedbackCounts(for: bob) == FeedbackCounts())
            #expect(await todoError { try await store.saveFeedback(.positive, itemIDs: ["thr_f_it0"], threadID: "thr_f", for: bob) }?.code == .notFound)
            #expect(await todoError { try await store.feedback(threadID: "thr_f", for: bob) }?.code == .notFound)
        }
    }

    @Test("feedback: a bad id saves nothing; it goes with its item and its thread", arguments: StoreKind.available)
    func refusalsAndDeletion(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seed(store, thread: "thr_g", items: 3)
            #expect(await todoError { try await store.saveFeedback(.positive, itemIDs: ["thr_g_it0", "nope"], threadID: "thr_g", for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.saveFeedback(.positive, itemIDs: ["thr_g_it0"], threadID: "thr_missing", for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.saveFeedback(.positive, itemIDs: ["bad id!"], threadID: "thr_g", for: alice) }?.code == .validation)
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts())
            try await store.saveFeedback(.negative, itemIDs: ["thr_g_it0", "thr_g_it1", "thr_g_it2"], threadID: "thr_g", for: alice)
            try await store.deleteItem("thr_g_it1", threadID: "thr_g", for: alice)
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts(positive: 0, negative: 2))
            try await seed(store, thread: "thr_h", items: 1)
            try await store.saveFeedback(.positive, itemIDs: ["thr_h_it0"], threadID: "thr_h", for: alice)
            try await store.deleteThread("thr_g", for: alice)
            #expect(try await store.feedbackCounts(for: alice) == FeedbackCounts(positive: 1, negative: 0))
        }
    }

    @Test("feedback survives closing and reopening (and a compaction on the file store)", arguments: StoreKind.available)
    func durable(kind: StoreKind) async throws {
        let opened = try await ContractStore.open(kind)
        try await seed(opened.store, thread: "thr_d", items: 2)
        try await opened.store.saveFeedback(.positive, itemIDs: ["thr_d_it0"], threadID: "thr_d", for: alice)
        try await opened.store.saveFeedback(.negative, itemIDs: ["thr_d_it1"], threadID: "thr_d", for: alice)
        try await opened.store.deleteItem("thr_d_it1", threadID: "thr_d", for: alice)
        await opened.store.close()
        let second = try await opened.reopen()
        do {
            #expect(try await second.feedbackCounts(for: alice) == FeedbackCounts(positive: 1, negative: 0))
            #expect(try await second.feedback(threadID: "thr_d", for: alice) == ["thr_d_it0": .positive])
            if kind == .file {
                _ = try await second.compact()
                await second.close()
                let third = try await opened.reopen()
                #expect(try await third.feedback(threadID: "thr_d", for: alice) == ["thr_d_it0": .positive])
                await third.close()
            } else {
                await second.close()
            }
        } catch {
            Issue.record("\(kind) after reopen: \(error)")
            await second.close()
        }
        await opened.cleanup()
    }
}
