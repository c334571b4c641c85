// MARK: - Stored chat threads

/// A chat thread as the store keeps it. The ChatKit layer owns the meaning of `payload`.
public struct StoredThread: Hashable, Sendable, Codable {
    /// The thread id (safe id, for example `thr_…`).
    public var id: String
    /// When the thread was created; threads list in this order.
    public var createdAt: Timestamp
    /// The thread's encoded metadata (title, status, …) as a JSON object text.
    public var payload: String

    /// - Parameters:
    ///   - id: the thread id.
    ///   - createdAt: creation time.
    ///   - payload: JSON text the ChatKit layer decodes.
    public init(id: String, createdAt: Timestamp, payload: String) {
        self.id = id
        self.createdAt = createdAt
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case id, payload
        case createdAt = "created_at"
    }
}

/// One item of a thread (a message, a workflow, …) as the store keeps it.
public struct StoredItem: Hashable, Sendable, Codable {
    /// The item id (safe id).
    public var id: String
    /// The thread it belongs to.
    public var threadID: String
    /// When it was created; items list in insertion order.
    public var createdAt: Timestamp
    /// The encoded item as a JSON object text.
    public var payload: String

    /// - Parameters:
    ///   - id: the item id.
    ///   - threadID: its thread.
    ///   - createdAt: creation time.
    ///   - payload: JSON text the ChatKit layer decodes.
    public init(id: String, threadID: String, createdAt: Timestamp, payload: String) {
        self.id = id
        self.threadID = threadID
        self.createdAt = createdAt
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case id, payload
        case threadID = "thread_id"
        case createdAt = "created_at"
    }
}

/// Listing order.
public enum SortOrder: String, Sendable, Codable {
    case asc, desc
}

/// A page request: up to `limit` entries after the entry with id `after`, in `order`.
public struct PageRequest: Hashable, Sendable {
    /// The id of the last entry of the previous page, or nil for the first page.
    public var after: String?
    /// How many entries at most.
    public var limit: Int
    /// Oldest first (`asc`) or newest first (`desc`).
    public var order: SortOrder

    /// - Parameters:
    ///   - after: the previous page's last id.
    ///   - limit: page size (ChatKit's default is 20).
    ///   - order: sort order.
    public init(after: String? = nil, limit: Int = 20, order: SortOrder = .desc) {
        self.after = after
        self.limit = limit
        self.order = order
    }
}

/// One page of results.
public struct Page<Element: Sendable>: Sendable {
    /// The entries.
    public var data: [Element]
    /// Whether more entries follow.
    public var hasMore: Bool
    /// The id to pass as `after` for the next page (the last entry's id).
    public var after: String?

    /// - Parameters:
    ///   - data: the entries.
    ///   - hasMore: whether more follow.
    ///   - after: the next page's cursor.
    public init(data: [Element], hasMore: Bool, after: String?) {
        self.data = data
        self.hasMore = hasMore
        self.after = after
    }
}

// MARK: - ThreadRepository

/// Durable per-user chat threads and their items. Each method returns after the change is durable.
/// Another user's thread ids behave exactly like missing ones (`TodoError.notFound`).
public protocol ThreadRepository: Sendable {
    /// Creates a thread, or replaces its metadata when it exists.
    func saveThread(_ thread: StoredThread, for user: UserID) async throws
    /// One thread. - Throws: `TodoError.notFound`.
    func thread(_ id: String, for user: UserID) async throws -> StoredThread
    /// A page of the user's threads by creation time.
    func threads(for user: UserID, page: PageRequest) async throws -> Page<StoredThread>
    /// Deletes a thread and all its items. - Throws: `TodoError.notFound`.
    func deleteThread(_ id: String, for user: UserID) async throws
    /// Adds an item, or replaces the item with the same id (keeping its position).
    /// - Throws: `TodoError.notFound` when the thread does not exist.
    func saveItem(_ item: StoredItem, for user: UserID) async throws
    /// One item. - Throws: `TodoError.notFound`.
    func item(_ id: String, threadID: String, for user: UserID) async throws -> StoredItem
    /// Removes an item. - Throws: `TodoError.notFound`.
    func deleteItem(_ id: String, threadID: String, for user: UserID) async throws
    /// A page of a thread's items by insertion order, without decoding the whole history per call.
    /// - Throws: `TodoError.notFound` when the thread does not exist.
    func items(threadID: String, for user: UserID, page: PageRequest) async throws -> Page<StoredItem>
    /// Saves a thread's metadata (when `thread` is given: created, or replaced when it exists) and then adds
    /// or replaces `items` in order, as one durable write (the file store: one append and one fdatasync;
    /// PostgreSQL: one transaction). Everything is validated before anything is written: on an error nothing
    /// of the batch is saved.
    /// - Throws: `TodoError.notFound` when an item's thread neither exists nor is `thread`.
    func saveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async throws
    /// `saveItems` started now and awaited later (`PendingSave.durable()` returns or throws as `saveItems`
    /// would), so that a caller overlaps the write with other work: the ChatKit server sends the response head
    /// while a new thread is written. The file store queues the append before it returns.
    func beginSaveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async -> PendingSave
    /// Records `kind` as the user's feedback on each of `itemIDs` of the thread, replacing earlier feedback on
    /// the same item, as one durable write. Everything is checked first: nothing is saved when one id is bad.
    /// Feedback goes with its item (deleting the item or the thread deletes it); replacing an item keeps it.
    /// An empty `itemIDs` saves nothing (the thread must still exist).
    /// - Throws: `TodoError.notFound` for a missing thread or item; `TodoError.validation` for a malformed id.
    func saveFeedback(_ kind: FeedbackKind, itemIDs: [String], threadID: String, for user: UserID) async throws
    /// The user's feedback on one thread: item id → the latest kind.
    /// - Throws: `TodoError.notFound` when the thread does not exist.
    func feedback(threadID: String, for user: UserID) async throws -> [String: FeedbackKind]
    /// How many of the user's items carry each kind of feedback (for `todoctl status`).
    func feedbackCounts(for user: UserID) async throws -> FeedbackCounts
}

extension ThreadRepository {
    /// The fallback for repositories without a batch write: `saveThread`, then `saveItem` for each item
    /// (each durable on its own, so a failure can leave a prefix of the batch saved).
    public func saveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async throws {
        if let thread { try await saveThread(thread, for: user) }
        for item in items { try await saveItem(item, for: user) }
    }

    /// The fallback: `saveItems` in a task of its own.
    public func beginSaveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async -> PendingSave {
        let saving = Task { try await saveItems(items, thread: thread, for: user) }
        return PendingSave { try await saving.value }
    }
}

/// A write started by `ThreadRepository.beginSaveItems`.
public struct PendingSave: Sendable {
    private let wait: @Sendable () async throws -> Void

    /// - Parameter wait: returns once the write is durable; throws its error.
    public init(_ wait: @escaping @Sendable () async throws -> Void) { self.wait = wait }

    /// A write that failed before it started.
    public init(failed error: any Error) { self.wait = { throw error } }

    /// Returns once the write is durable; throws what `saveItems` would have thrown.
    public func durable() async throws { try await wait() }
}
