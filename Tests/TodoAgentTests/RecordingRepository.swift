import Synchronization
import TodoCore

// MARK: - A repository that records the queries that reach it

/// Forwards to a real store and remembers every `tasks(for:query:context:)` call, so a test can check
/// which filter a tool call turned into.
final class RecordingRepository: TaskRepository {
    let base: any TaskRepository
    private let recorded = Mutex<[(query: TaskQuery, context: DateContext)]>([])

    init(_ base: any TaskRepository) { self.base = base }

    /// The queries seen so far, oldest first.
    var queries: [(query: TaskQuery, context: DateContext)] { recorded.withLock { $0 } }

    func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        try await base.addTask(draft, for: user, requestID: requestID)
    }

    func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem] {
        recorded.withLock { $0.append((query, context)) }
        return try await base.tasks(for: user, query: query, context: context)
    }

    func task(_ id: TaskID, for user: UserID) async throws -> TaskItem { try await base.task(id, for: user) }

    func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem {
        try await base.updateTask(id, patch, for: user, requestID: requestID)
    }

    func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem { try await base.deleteTask(id, for: user) }

    func undo(for user: UserID) async throws -> UndoResult { try await base.undo(for: user) }

    func changes(for user: UserID?) -> AsyncStream<TaskChange> { base.changes(for: user) }
}
