import Foundation
import PostgresNIO
public import TodoCore
import TodoStore

// MARK: - TaskRepository

extension PostgresStore {
    /// Creates a task in one transaction; a repeated `requestID` returns the task it created (live, or as it was
    /// deleted) on whichever instance it is retried.
    public func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        if let requestID { try StoreInputRules.checkRequestID(requestID) }
        let valid = try draft.validated()
        let now = clock.now()
        let task = TaskItem(id: TaskID.random(), title: valid.title, description: valid.description, completed: false, createdAt: now,
                            updatedAt: now, due: valid.due, timeZone: valid.timeZone, priority: valid.priority, labels: valid.labels,
                            project: valid.project, recurrence: valid.recurrence)
        let json = try TaskJSON.encode(task)
        let logger = self.logger
        // No per-user lock: the request id's primary key decides. A concurrent add with the same id (on any instance)
        // waits on the key until the first commits, then finds it taken and answers with the first one's task.
        return try await transaction(user) { connection in
            let uid = user.rawValue
            if let requestID {
                let claimed = try await Self.single(connection.query("""
                    INSERT INTO todod_request_ids (user_id, request_id, task_id) VALUES (\(uid), \(requestID), \(task.id.rawValue))
                    ON CONFLICT (user_id, request_id) DO NOTHING RETURNING task_id
                    """, logger: logger), String.self)
                if claimed == nil {
                    let earlier = try await Self.single(connection.query("""
                        SELECT coalesce(t.data::text, r.last_state::text) FROM todod_request_ids r
                        LEFT JOIN todod_tasks t ON t.user_id = r.user_id AND t.id = r.task_id
                        WHERE r.user_id = \(uid) AND r.request_id = \(requestID)
                        """, logger: logger), String.self)
                    guard let earlier else { throw TodoError.conflict("request id \(requestID) is in use by a change that is not finished") }
                    return try TaskJSON.decode(earlier)
                }
            }
            try await connection.query(
                "INSERT INTO todod_tasks (user_id, id, data) VALUES (\(uid), \(task.id.rawValue), \(json)::jsonb)", logger: logger)
            try await Self.recordUndo(connection, user, .created, json, logger: logger)
            try await Self.logChange(connection, user, .created, json, logger: logger)
            return task
        }
    }

    /// The user's tasks matching `query`, in its order (the query runs in todod, exactly as on the file store).
    public func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem] {
        let logger = self.logger
        let all = try await transaction(user) { connection in
            var out: [TaskItem] = []
            let rows = try await connection.query(
                "SELECT data::text, completion_request_id FROM todod_tasks WHERE user_id = \(user.rawValue) ORDER BY position", logger: logger)
            for try await (text, completion) in rows.decode((String, String?).self) {
                var task = try TaskJSON.decode(text)
                task.completionRequestID = completion
                out.append(task)
            }
            return out
        }
        return TaskQuery.Matcher(query, context: context).run(all)
    }

    /// One task; another user's id is `TodoError.notFound` like a missing one.
    public func task(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        let logger = self.logger
        return try await transaction(user) { connection in
            try await Self.current(connection, user, id, lock: false, logger: logger)
        }
    }

    /// Applies a partial update; completing a recurring task moves it to its next occurrence, and a retry with the
    /// same `requestID` returns it unchanged.
    public func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem {
        if let requestID { try StoreInputRules.checkRequestID(requestID) }
        let (clock, zone, logger) = (self.clock, self.timeZone, self.logger)
        // The row lock (`current(lock: true)`) serializes changes to one task across instances.
        return try await transaction(user) { connection in
            let current = try await Self.current(connection, user, id, lock: true, logger: logger)
            let now = max(clock.now(), current.createdAt)
            let updated: TaskItem
            if patch.completed == true, !current.completed, current.recurrence != nil {
                if let requestID, current.completionRequestID == requestID { return current }
                var rest = patch
                rest.completed = nil
                let edited = try rest.applied(to: current, at: now)
                updated = edited.completingOccurrence(in: DateContext(now: now, zone: zone), requestID: requestID) ?? edited
            } else {
                updated = try patch.applied(to: current, at: now)
            }
            var unchanged = updated
            unchanged.updatedAt = current.updatedAt
            if unchanged == current { return current }
            let json = try TaskJSON.encode(updated)
            try await connection.query("""
                UPDATE todod_tasks SET data = \(json)::jsonb, completion_request_id = \(updated.completionRequestID)
                WHERE user_id = \(user.rawValue) AND id = \(id.rawValue)
                """, logger: logger)
            try await Self.recordUndo(connection, user, .updated, try TaskJSON.encode(current), logger: logger)
            try await Self.logChange(connection, user, .updated, json, logger: logger)
            return updated
        }
    }

    /// Deletes a task; its request id keeps answering with the task as it was.
    public func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        let logger = self.logger
        return try await transaction(user) { connection in
            let current = try await Self.current(connection, user, id, lock: true, logger: logger)
            let json = try TaskJSON.encode(current)
            try await Self.removeTask(connection, user, id, lastState: json, logger: logger)
            try await Self.recordUndo(connection, user, .deleted, json, logger: logger)
            try await Self.logChange(connection, user, .deleted, json, logger: logger)
            return current
        }
    }

    // MARK: Statements shared by tasks, undo and import

    static func current(_ connection: PostgresConnection, _ user: UserID, _ id: TaskID, lock: Bool, logger: Logger) async throws -> TaskItem {
        let rows = try await connection.query(
            "SELECT data::text, completion_request_id FROM todod_tasks WHERE user_id = \(user.rawValue) AND id = \(id.rawValue)\(unescaped: lock ? " FOR UPDATE" : "")",
            logger: logger)
        for try await (text, completion) in rows.decode((String, String?).self) {
            var task = try TaskJSON.decode(text)
            task.completionRequestID = completion
            return task
        }
        throw TodoError.notFound("task \(id)")
    }

    static func removeTask(_ connection: PostgresConnection, _ user: UserID, _ id: TaskID, lastState: String, logger: Logger) async throws {
        try await connection.query("DELETE FROM todod_tasks WHERE user_id = \(user.rawValue) AND id = \(id.rawValue)", logger: logger)
        try await connection.query(
            "UPDATE todod_request_ids SET last_state = \(lastState)::jsonb WHERE user_id = \(user.rawValue) AND task_id = \(id.rawValue)",
            logger: logger)
    }

    /// Appends an undo entry and keeps the newest `undoLimit` (the DELETE does not see the row its CTE inserts, so it keeps
    /// `undoLimit - 1` older ones).
    static func recordUndo(_ connection: PostgresConnection, _ user: UserID, _ action: TaskChange.Kind, _ task: String, logger: Logger) async throws {
        try await connection.query("""
            WITH added AS (INSERT INTO todod_undo (user_id, action, task) VALUES (\(user.rawValue), \(action.rawValue), \(task)::jsonb) RETURNING seq)
            DELETE FROM todod_undo WHERE user_id = \(user.rawValue) AND seq <= (
                SELECT seq FROM todod_undo WHERE user_id = \(user.rawValue) ORDER BY seq DESC OFFSET \(undoLimit - 2) LIMIT 1
            ) - 1
            """, logger: logger)
    }

    /// Logs a committed change for every instance's listeners (NOTIFY is delivered only if the transaction commits).
    static func logChange(_ connection: PostgresConnection, _ user: UserID, _ kind: TaskChange.Kind, _ task: String, logger: Logger) async throws {
        try await connection.query("""
            WITH c AS (INSERT INTO todod_change_log (user_id, kind, task) VALUES (\(user.rawValue), \(kind.rawValue), \(task)::jsonb) RETURNING seq)
            SELECT pg_notify('todod_changes', seq::text) FROM c
            """, logger: logger)
    }

    /// Undo entries kept per user (as the file store keeps).
    static let undoLimit = 100
}

// MARK: - Task JSON

/// Tasks are kept as the JSON the API speaks (`TaskItem`'s Codable form) in a `jsonb` column.
enum TaskJSON {
    static func encode(_ task: TaskItem) throws -> String {
        String(decoding: try JSONEncoder().encode(task), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> TaskItem {
        try JSONDecoder().decode(TaskItem.self, from: Data(text.utf8))
    }
}
