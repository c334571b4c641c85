// MARK: - TaskRepository

/// A change to one user's tasks, published after it is durable.
public struct TaskChange: Hashable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable {
        case created, updated, deleted
    }

    /// What happened.
    public var kind: Kind
    /// Whose task it is.
    public var user: UserID
    /// The task after the change (for `deleted`, as it was before).
    public var task: TaskItem

    /// - Parameters:
    ///   - kind: what happened.
    ///   - user: whose task.
    ///   - task: the task after the change.
    public init(kind: Kind, user: UserID, task: TaskItem) {
        self.kind = kind
        self.user = user
        self.task = task
    }
}

/// The task operations every front end (control socket, REST, MCP tools) uses.
///
/// Every method acts for exactly one `user`; another user's ids behave exactly like missing ones
/// (`TodoError.notFound`). A method returns only after its change is durable.
public protocol TaskRepository: Sendable {
    /// Creates a task.
    /// - Parameters:
    ///   - draft: title and description (validated here).
    ///   - user: the owner.
    ///   - requestID: an optional client idempotency key; repeating it returns the task it created.
    /// - Returns: the created (or earlier created) task.
    func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem

    /// The user's tasks that match a query, in its order.
    /// - Parameters:
    ///   - user: the owner.
    ///   - query: the filter and sort (validated by the caller).
    ///   - context: now and the zone the query's dates are read in.
    func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem]

    /// One task.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    /// - Throws: `TodoError.notFound`.
    func task(_ id: TaskID, for user: UserID) async throws -> TaskItem

    /// Applies a partial update. Completing a recurring task moves it to its next occurrence instead
    /// (`TaskItem.completingOccurrence`); repeating that completion with the same `requestID` changes nothing.
    /// - Parameters:
    ///   - id: the task id.
    ///   - patch: the fields to change.
    ///   - user: the owner.
    ///   - requestID: an optional idempotency key for a completion.
    /// - Returns: the updated task.
    func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem

    /// Deletes a task.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    /// - Returns: the task as it was.
    func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem

    /// Undoes the user's most recent change that is not undone yet (an add, an update or a delete, made
    /// through any surface, the assistant included). Durable; the last 50 changes at least survive a restart.
    /// - Parameter user: the owner.
    /// - Returns: what was undone and the task as it is now.
    /// - Throws: `TodoError.conflict` when there is nothing left to undo.
    func undo(for user: UserID) async throws -> UndoResult

    /// Live changes, after they are durable.
    /// - Parameter user: only this user's changes, or every user's when nil.
    /// - Returns: a stream that ends when the subscriber stops iterating or the repository shuts down.
    func changes(for user: UserID?) -> AsyncStream<TaskChange>
}

/// What `undo` did.
public struct UndoResult: Hashable, Sendable, Codable {
    /// The kind of change that was undone (`created` means the task was removed again).
    public var undone: TaskChange.Kind
    /// The task after the undo (for an undone `created`, the task as it was before removal).
    public var task: TaskItem
    /// How many earlier changes can still be undone.
    public var remaining: Int

    /// - Parameters:
    ///   - undone: the kind undone.
    ///   - task: the task now.
    ///   - remaining: changes left to undo.
    public init(undone: TaskChange.Kind, task: TaskItem, remaining: Int) {
        self.undone = undone
        self.task = task
        self.remaining = remaining
    }
}

extension TaskRepository {
    /// The user's tasks, oldest first, by completion only.
    /// - Parameters:
    ///   - user: the owner.
    ///   - filter: all, pending or completed.
    public func tasks(for user: UserID, filter: TaskFilter) async throws -> [TaskItem] {
        try await tasks(for: user, query: TaskQuery(status: filter), context: .utc(Timestamp(millisecondsSinceEpoch: 0)))
    }

    /// Applies a partial update without an idempotency key.
    /// - Parameters:
    ///   - id: the task id.
    ///   - patch: the fields to change.
    ///   - user: the owner.
    public func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID) async throws -> TaskItem {
        try await updateTask(id, patch, for: user, requestID: nil)
    }

    /// Marks a task completed (or pending again).
    /// - Parameters:
    ///   - id: the task id.
    ///   - completed: the new state.
    ///   - user: the owner.
    public func setCompleted(_ id: TaskID, _ completed: Bool = true, for user: UserID) async throws -> TaskItem {
        try await updateTask(id, TaskPatch(completed: completed), for: user)
    }
}
