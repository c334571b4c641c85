public import TodoCore

// MARK: - Feedback (ThreadRepository)

extension Store {
    /// Records the user's feedback on items of a thread as `feedback` lines in one append with one fdatasync.
    /// Every id is checked first; nothing is written when one is bad.
    /// - Throws: `TodoError.validation` for a malformed id, `TodoError.notFound` for a missing thread or item.
    public func saveFeedback(_ kind: FeedbackKind, itemIDs: [String], threadID: String, for user: UserID) async throws {
        try checkUsable()
        try Self.checkID(threadID, field: "thread_id")
        for id in itemIDs { try Self.checkID(id, field: "item_id") }
        guard let state = users[user], state.threads.thread(threadID) != nil else { throw TodoError.notFound("thread \(threadID)") }
        for id in itemIDs where state.threads.item(id, threadID: threadID) == nil { throw TodoError.notFound("item \(id)") }
        var seen: Set<String> = []
        let records = itemIDs.filter { seen.insert($0).inserted }.map { StoreRecord.feedback(threadID: threadID, itemID: $0, kind: kind) }
        guard !records.isEmpty else { return }
        for record in records { state.threads.apply(record) }
        try await commit(state, .threads, records)
    }

    /// The user's feedback on one thread. - Throws: `TodoError.notFound` when the thread does not exist.
    public func feedback(threadID: String, for user: UserID) async throws -> [String: FeedbackKind] {
        try checkUsable()
        guard let threads = users[user]?.threads, threads.thread(threadID) != nil else { throw TodoError.notFound("thread \(threadID)") }
        return threads.feedback[threadID] ?? [:]
    }

    /// How many of the user's items carry each kind of feedback.
    public func feedbackCounts(for user: UserID) async throws -> FeedbackCounts {
        try checkUsable()
        return users[user]?.threads.feedbackCounts() ?? FeedbackCounts()
    }
}
