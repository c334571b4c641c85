public import TodoCore

// MARK: - TaskRepository

extension Store {
    /// Creates a task durably. Repeating a `requestID` returns the task it created (even after a restart).
    /// - Parameters:
    ///   - draft: the fields, validated here (`TodoError.validation` names the field).
    ///   - user: the owner.
    ///   - requestID: an optional client idempotency key (1-128 printable characters).
    public nonisolated func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        // The append is queued on the actor; its fdatasync is awaited off it (see `DurableTicket`).
        let (task, ticket) = try await stageAddTask(draft, for: user, requestID: requestID)
        try await ticket?.wait()
        return task
    }

    /// `addTask` up to the queued append: the task and the ticket of its append (nil for a repeated request
    /// id, whose earlier append is already durable).
    private func stageAddTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> (TaskItem, DurableTicket?) {
        try await usable()
        let existing = users[user]
        if let requestID {
            try checkRequestID(requestID)
            if let earlier = existing?.tasks.task(forRequest: requestID) {
                try await barrier(user, .tasks)
                return (earlier, nil)
            }
        }
        let valid = try draft.validated()
        let state = existing ?? state(for: user)
        var id = TaskID.random(using: &idGenerator)
        while state.tasks.task(id) != nil { id = TaskID.random(using: &idGenerator) }
        let now = clock.now()
        let task = TaskItem(id: id, title: valid.title, description: valid.description, completed: false, createdAt: now, updatedAt: now,
                            due: valid.due, timeZone: valid.timeZone, priority: valid.priority, labels: valid.labels,
                            project: valid.project, recurrence: valid.recurrence)
        let ticket = try await stageWrite(state, [.task(task, requestID: requestID), state.tasks.undoRecord(.created, task)],
                                          TaskChange(kind: .created, user: user, task: task))
        return (task, ticket)
    }

    /// The user's tasks matching `query`, in its order.
    /// - Parameters:
    ///   - user: the owner.
    ///   - query: the filter and sort.
    ///   - context: now and the zone dates are read in.
    public func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem] {
        try await usable()
        guard let table = users[user]?.tasks else { return [] }
        return TaskQuery.Matcher(query, context: context).run(table.liveTasks)
    }

    /// One task; another user's id is `TodoError.notFound` like a missing one.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    public func task(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try await usable()
        guard let task = users[user]?.tasks.task(id) else { throw TodoError.notFound("task \(id)") }
        return task
    }

    /// Applies a partial update durably. Completing a recurring task moves its due date to the next
    /// occurrence instead; a retry with the same `requestID` returns the task unchanged.
    /// - Parameters:
    ///   - id: the task id.
    ///   - patch: the fields to change (validated; `TodoError.validation` names the field).
    ///   - user: the owner.
    ///   - requestID: an optional idempotency key for a completion.
    public func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem {
        try await usable()
        if let requestID { try checkRequestID(requestID) }
        guard let state = users[user], let current = state.tasks.task(id) else { throw TodoError.notFound("task \(id)") }
        let now = max(clock.now(), current.createdAt)
        var updated: TaskItem
        if patch.completed == true, !current.completed, current.recurrence != nil {
            if let requestID, current.completionRequestID == requestID {
                try await barrier(user, .tasks)
                return current
            }
            var rest = patch
            rest.completed = nil
            let edited = try rest.applied(to: current, at: now)
            updated = edited.completingOccurrence(in: DateContext(now: now, zone: options.timeZone), requestID: requestID) ?? edited
        } else {
            updated = try patch.applied(to: current, at: now)
        }
        var unchanged = updated
        unchanged.updatedAt = current.updatedAt
        if unchanged == current {
            try await barrier(user, .tasks)
            return current
        }
        try await write(state, [.task(updated, requestID: nil), state.tasks.undoRecord(.updated, current)],
                        TaskChange(kind: .updated, user: user, task: updated))
        return updated
    }

    /// Deletes a task durably.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    /// - Returns: the task as it was.
    public func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try await usable()
        guard let state = users[user], let current = state.tasks.task(id) else { throw TodoError.notFound("task \(id)") }
        try await write(state, [.taskDeleted(id), state.tasks.undoRecord(.deleted, current)],
                        TaskChange(kind: .deleted, user: user, task: current))
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

    // MARK: Helpers

    /// Applies `records` to memory, then appends them durably and publishes `change`.
    func write(_ state: UserState, _ records: [StoreRecord], _ change: TaskChange) async throws {
        try await stageWrite(state, records, change).wait()
    }

    /// Applies `records` to memory and queues their append (which publishes `change` once durable).
    func stageWrite(_ state: UserState, _ records: [StoreRecord], _ change: TaskChange) async throws -> DurableTicket {
        for record in records { state.tasks.apply(record) }
        return try await stage(state, .tasks, records, changes: [change])
    }

    func checkRequestID(_ requestID: String) throws {
        guard isValidRequestID(requestID) else {
            throw TodoError.validation(field: "request_id", "request id must be 1-128 printable characters")
        }
    }
}
