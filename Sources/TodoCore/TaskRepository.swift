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

    /// The user's tasks, oldest first.
    /// - Parameters:
    ///   - user: the owner.
    ///   - filter: all, pending or completed.
    func tasks(for user: UserID, filter: TaskFilter) async throws -> [TaskItem]

    /// One task.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    /// - Throws: `TodoError.notFound`.
    func task(_ id: TaskID, for user: UserID) async throws -> TaskItem

    /// Applies a partial update (title, description, completed).
    /// - Parameters:
    ///   - id: the task id.
    ///   - patch: the fields to change.
    ///   - user: the owner.
    /// - Returns: the updated task.
    func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID) async throws -> TaskItem

    /// Deletes a task.
    /// - Parameters:
    ///   - id: the task id.
    ///   - user: the owner.
    /// - Returns: the task as it was.
    func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem

    /// Live changes, after they are durable.
    /// - Parameter user: only this user's changes, or every user's when nil.
    /// - Returns: a stream that ends when the subscriber stops iterating or the repository shuts down.
    func changes(for user: UserID?) -> AsyncStream<TaskChange>
}

extension TaskRepository {
    /// Marks a task completed (or pending again).
    /// - Parameters:
    ///   - id: the task id.
    ///   - completed: the new state.
    ///   - user: the owner.
    public func setCompleted(_ id: TaskID, _ completed: Bool = true, for user: UserID) async throws -> TaskItem {
        try await updateTask(id, TaskPatch(completed: completed), for: user)
    }
}
