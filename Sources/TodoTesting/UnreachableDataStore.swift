public import TodoCore
public import TodoStore
import Synchronization

// MARK: - A store whose database can "go away"

/// Test double: forwards to a real `DataStore` until `isUnreachable` is set, then every repository call
/// throws `TodoError.unavailable` (as `PostgresStore` does while its database is down); `compact()` and
/// `backup(to:)` throw `TodoError.conflict` when `refusesMaintenance` is set (as `PostgresStore` always does).
/// The change feed, `failure` and lifecycle stay the inner store's.
public final class UnreachableDataStore: DataStore {
    /// The store that answers while reachable.
    public let inner: any DataStore
    private let unreachable = Atomic<Bool>(false)
    private let noMaintenance: Bool

    /// - Parameters:
    ///   - inner: the real store.
    ///   - refusesMaintenance: whether compaction and backup are refused (`TodoError.conflict`).
    public init(wrapping inner: any DataStore, refusesMaintenance: Bool = false) {
        self.inner = inner
        self.noMaintenance = refusesMaintenance
    }

    /// Whether calls fail with `TodoError.unavailable` now.
    public var isUnreachable: Bool {
        get { unreachable.load(ordering: .sequentiallyConsistent) }
        set { unreachable.store(newValue, ordering: .sequentiallyConsistent) }
    }

    /// The message of the `TodoError.unavailable` it throws.
    public static let message = "the database is unreachable (test double)"

    private func check() throws {
        if isUnreachable { throw TodoError.unavailable(Self.message) }
    }

    public nonisolated var location: String { "test-double:" + inner.location }

    // MARK: TaskRepository

    public func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        try check(); return try await inner.addTask(draft, for: user, requestID: requestID)
    }
    public func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem] {
        try check(); return try await inner.tasks(for: user, query: query, context: context)
    }
    public func task(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try check(); return try await inner.task(id, for: user)
    }
    public func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem {
        try check(); return try await inner.updateTask(id, patch, for: user, requestID: requestID)
    }
    public func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try check(); return try await inner.deleteTask(id, for: user)
    }
    public func undo(for user: UserID) async throws -> UndoResult {
        try check(); return try await inner.undo(for: user)
    }
    public func changes(for user: UserID?) -> AsyncStream<TaskChange> { inner.changes(for: user) }

    // MARK: ThreadRepository

    public func saveThread(_ thread: StoredThread, for user: UserID) async throws {
        try check(); try await inner.saveThread(thread, for: user)
    }
    public func thread(_ id: String, for user: UserID) async throws -> StoredThread {
        try check(); return try await inner.thread(id, for: user)
    }
    public func threads(for user: UserID, page: PageRequest) async throws -> Page<StoredThread> {
        try check(); return try await inner.threads(for: user, page: page)
    }
    public func deleteThread(_ id: String, for user: UserID) async throws {
        try check(); try await inner.deleteThread(id, for: user)
    }
    public func saveItem(_ item: StoredItem, for user: UserID) async throws {
        try check(); try await inner.saveItem(item, for: user)
    }
    public func saveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async throws {
        try check(); try await inner.saveItems(items, thread: thread, for: user)
    }
    public func saveFeedback(_ kind: FeedbackKind, itemIDs: [String], threadID: String, for user: UserID) async throws {
        try check(); try await inner.saveFeedback(kind, itemIDs: itemIDs, threadID: threadID, for: user)
    }
    public func feedback(threadID: String, for user: UserID) async throws -> [String: FeedbackKind] {
        try check(); return try await inner.feedback(threadID: threadID, for: user)
    }
    public func feedbackCounts(for user: UserID) async throws -> FeedbackCounts {
        try check(); return try await inner.feedbackCounts(for: user)
    }
    public func item(_ id: String, threadID: String, for user: UserID) async throws -> StoredItem {
        try check(); return try await inner.item(id, threadID: threadID, for: user)
    }
    public func deleteItem(_ id: String, threadID: String, for user: UserID) async throws {
        try check(); try await inner.deleteItem(id, threadID: threadID, for: user)
    }
    public func items(threadID: String, for user: UserID, page: PageRequest) async throws -> Page<StoredItem> {
        try check(); return try await inner.items(threadID: threadID, for: user, page: page)
    }

    // MARK: DataStore

    public func exportAll(only: UserID?) async throws -> ExportDocument {
        try check(); return try await inner.exportAll(only: only)
    }
    public func importAll(_ document: ExportDocument) async throws -> ImportReport {
        try check(); return try await inner.importAll(document)
    }
    public func stats() async throws -> StoreStats {
        try check(); return try await inner.stats()
    }
    public func compact() async throws -> CompactionReport {
        if noMaintenance { throw TodoError.conflict("compaction is autovacuum's job here (test double)") }
        try check(); return try await inner.compact()
    }
    public func backup(to directory: String) async throws -> BackupReport {
        if noMaintenance { throw TodoError.conflict("use pg_dump to back this store up (test double)") }
        try check(); return try await inner.backup(to: directory)
    }
    public var failure: StoreError? { get async { await inner.failure } }
    public nonisolated func onFatalFailure(_ handler: @escaping @Sendable (StoreError) -> Void) { inner.onFatalFailure(handler) }
    public func close() async { await inner.close() }
}
