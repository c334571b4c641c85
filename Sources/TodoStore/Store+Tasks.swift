public import TodoCore

// MARK: - TaskRepository

extension Store {
    /// Creates a task durably. Repeating a `requestID` returns the task it created (even after a restart).
    /// - Parameters:
    ///   - draft: title and description, validated here (`TodoError.validation` names the field).
    ///   - user: the owner.
    ///   - requestID: an optional client idempotency key (1-128 printable characters).
    public func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        try checkUsable()
        if let requestID {
            guard isValidRequestID(requestID) else {
                throw TodoError.validation(field: "request_id", "request id must be 1-128 printable characters")
            }
            if let earlier = users[user]?.tasks.task(forRequest: requestID) {
                try await barrier(user, .tasks)
                return earlier
            }
        }
        let valid = try draft.validated()
        let state = state(for: user)
        var id = TaskID.random(using: &idGenerator)
        while state.tasks.task(id) != nil { id = TaskID.random(using: &idGenerator) }
        let now = clock.now()
        let task = TaskItem(id: id, title: valid.title, description: valid.description, completed: false, createdAt: now, updatedAt: now)
        let record = StoreRecord.task(task, requestID: requestID)
        state.tasks.apply(record)
        try await commit(state, .tasks, [record], changes: [TaskChange(kind: .created, user: user, task: task)])
        return task
    }

    /// The user's tasks, oldest first.
    /// - Parameters:
    ///   - user: the owner.
    ///   - filter: all, pending or completed.
    public func tasks(for user: UserID, filter: TaskFilter) async throws -> [TaskItem] {
        try checkUsable()
        return users[user]?.tasks.list(filter) ?? []
    }

    /// One task; another user's id is `TodoError.notFound` like a missing one.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    public func task(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try checkUsable()
        guard let task = users[user]?.tasks.task(id) else { throw TodoError.notFound("task \(id)") }
        return task
    }

    /// Applies a partial update durably.
    /// - Parameters:
    ///   - id: the task id.
    ///   - patch: the fields to change (validated; `TodoError.validation` names the field).
    ///   - user: the owner.
    public func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID) async throws -> TaskItem {
        try checkUsable()
        guard let state = users[user], let current = state.tasks.task(id) else { throw TodoError.notFound("task \(id)") }
        let updated = try patch.applied(to: current, at: max(clock.now(), current.createdAt))
        let record = StoreRecord.task(updated, requestID: nil)
        state.tasks.apply(record)
        try await commit(state, .tasks, [record], changes: [TaskChange(kind: .updated, user: user, task: updated)])
        return updated
    }

    /// Deletes a task durably.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    /// - Returns: the task as it was.
    public func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try checkUsable()
        guard let state = users[user], let current = state.tasks.task(id) else { throw TodoError.notFound("task \(id)") }
        let record = StoreRecord.taskDeleted(id)
        state.tasks.apply(record)
        try await commit(state, .tasks, [record], changes: [TaskChange(kind: .deleted, user: user, task: current)])
        return current
    }

    /// Durable changes as they happen. The stream ends when the subscriber stops iterating, the store
    /// closes or it fail-stops.
    /// - Parameter user: only this user's changes, or every user's when nil.
    public nonisolated func changes(for user: UserID?) -> AsyncStream<TaskChange> {
        hub.subscribe(user)
    }

    /// Number of live `changes(for:)` subscriptions (for tests and status).
    public nonisolated var subscriberCount: Int { hub.subscriberCount }
}
