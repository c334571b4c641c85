import PostgresNIO
public import TodoCore
import TodoStore

// MARK: - Feedback (ThreadRepository)

extension PostgresStore {
    /// Records the user's feedback on items of a thread in one transaction (rows in `todod_feedback`, which go
    /// with their item by a cascading foreign key).
    /// - Throws: `TodoError.validation` for a malformed id, `TodoError.notFound` for a missing thread or item
    ///   (the transaction rolls back: nothing is saved).
    public func saveFeedback(_ kind: FeedbackKind, itemIDs: [String], threadID: String, for user: UserID) async throws {
        try StoreInputRules.checkID(threadID, field: "thread_id")
        for id in itemIDs { try StoreInputRules.checkID(id, field: "item_id") }
        let logger = self.logger
        try await transaction(user) { connection in
            let uid = user.rawValue
            let thread = try await Self.single(connection.query(
                "SELECT id FROM todod_threads WHERE user_id = \(uid) AND id = \(threadID) FOR SHARE", logger: logger), String.self)
            guard thread != nil else { throw TodoError.notFound("thread \(threadID)") }
            for id in itemIDs {
                let found = try await Self.single(connection.query(
                    "SELECT id FROM todod_items WHERE user_id = \(uid) AND thread_id = \(threadID) AND id = \(id) FOR SHARE", logger: logger),
                    String.self)
                guard found != nil else { throw TodoError.notFound("item \(id)") }
                try await connection.query("""
                    INSERT INTO todod_feedback (user_id, thread_id, item_id, kind) VALUES (\(uid), \(threadID), \(id), \(kind.rawValue))
                    ON CONFLICT (user_id, thread_id, item_id) DO UPDATE SET kind = EXCLUDED.kind
                    """, logger: logger)
            }
        }
    }

    /// The user's feedback on one thread. - Throws: `TodoError.notFound` when the thread does not exist.
    public func feedback(threadID: String, for user: UserID) async throws -> [String: FeedbackKind] {
        let logger = self.logger
        return try await transaction(user) { connection in
            let uid = user.rawValue
            let thread = try await Self.single(connection.query(
                "SELECT id FROM todod_threads WHERE user_id = \(uid) AND id = \(threadID)", logger: logger), String.self)
            guard thread != nil else { throw TodoError.notFound("thread \(threadID)") }
            let rows = try await connection.query(
                "SELECT item_id, kind FROM todod_feedback WHERE user_id = \(uid) AND thread_id = \(threadID)", logger: logger)
            var result: [String: FeedbackKind] = [:]
            for try await (id, kind) in rows.decode((String, String).self) { result[id] = FeedbackKind(rawValue: kind) }
            return result
        }
    }

    /// How many of the user's items carry each kind of feedback.
    public func feedbackCounts(for user: UserID) async throws -> FeedbackCounts {
        let logger = self.logger
        return try await transaction(user) { connection in
            let rows = try await connection.query(
                "SELECT kind, count(*)::bigint FROM todod_feedback WHERE user_id = \(user.rawValue) GROUP BY kind", logger: logger)
            var counts = FeedbackCounts()
            for try await (kind, n) in rows.decode((String, Int64).self) {
                switch FeedbackKind(rawValue: kind) {
                case .positive: counts.positive = Int(n)
                case .negative: counts.negative = Int(n)
                case nil: break
                }
            }
            return counts
        }
    }
}
