import PostgresNIO
public import TodoCore

// MARK: - Undo

extension PostgresStore {
    /// Undoes the user's newest change not undone yet, in one transaction under the user's write lock (so two
    /// instances undoing at once undo two different changes): an added task is removed, an update reverted,
    /// a deleted task restored with its id. The undo is published as a change.
    /// - Throws: `TodoError.conflict("nothing to undo")` when the history is empty.
    public func undo(for user: UserID) async throws -> UndoResult {
        let (clock, logger) = (self.clock, self.logger)
        return try await transaction(user, lockUser: true) { connection in
            let uid = user.rawValue
            var newest: (seq: Int64, action: String, task: String)?
            let rows = try await connection.query(
                "SELECT seq, action, task::text FROM todod_undo WHERE user_id = \(uid) ORDER BY seq DESC LIMIT 1", logger: logger)
            for try await (seq, action, task) in rows.decode((Int64, String, String).self) { newest = (seq, action, task) }
            guard let newest, let action = TaskChange.Kind(rawValue: newest.action) else { throw TodoError.conflict("nothing to undo") }
            try await connection.query("DELETE FROM todod_undo WHERE user_id = \(uid) AND seq = \(newest.seq)", logger: logger)
            let recorded = try TaskJSON.decode(newest.task)
            let existing = try? await Self.current(connection, user, recorded.id, lock: true, logger: logger)
            let kind: TaskChange.Kind
            let result: TaskItem
            switch action {
            case .created:
                result = existing ?? recorded
                kind = .deleted
                if let existing {
                    try await Self.removeTask(connection, user, existing.id, lastState: try TaskJSON.encode(existing), logger: logger)
                }
            case .updated, .deleted:
                var restored = recorded
                restored.updatedAt = max(clock.now(), existing?.updatedAt ?? restored.updatedAt)
                let json = try TaskJSON.encode(restored)
                if existing == nil {
                    try await connection.query(
                        "INSERT INTO todod_tasks (user_id, id, data) VALUES (\(uid), \(restored.id.rawValue), \(json)::jsonb)", logger: logger)
                    kind = .created
                } else {
                    try await connection.query("""
                        UPDATE todod_tasks SET data = \(json)::jsonb, completion_request_id = NULL
                        WHERE user_id = \(uid) AND id = \(restored.id.rawValue)
                        """, logger: logger)
                    kind = .updated
                }
                result = restored
            }
            try await Self.logChange(connection, user, kind, try TaskJSON.encode(result), logger: logger)
            let remaining = try await Self.single(
                connection.query("SELECT count(*)::bigint FROM todod_undo WHERE user_id = \(uid)", logger: logger), Int64.self) ?? 0
            return UndoResult(undone: action, task: result, remaining: Int(remaining))
        }
    }
}
