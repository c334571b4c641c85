public import TodoCore

// MARK: - ThreadRepository

extension Store {
    /// Creates a thread or replaces its metadata, durably.
    /// - Parameters:
    ///   - thread: the thread (id must be a safe id).
    ///   - user: the owner.
    public func saveThread(_ thread: StoredThread, for user: UserID) async throws {
        try await usable()
        try Self.checkID(thread.id, field: "thread_id")
        try Self.checkPayload(thread.payload)
        let state = state(for: user)
        let record = StoreRecord.thread(thread)
        state.threads.apply(record)
        try await commit(state, .threads, [record])
    }

    /// One thread. - Throws: `TodoError.notFound`.
    public func thread(_ id: String, for user: UserID) async throws -> StoredThread {
        try await usable()
        guard let thread = users[user]?.threads.thread(id) else { throw TodoError.notFound("thread \(id)") }
        return thread
    }

    /// A page of the user's threads by creation time.
    public func threads(for user: UserID, page: PageRequest) async throws -> Page<StoredThread> {
        try await usable()
        try Self.checkLimit(page)
        guard let state = users[user] else { return Page(data: [], hasMore: false, after: nil) }
        return try state.threads.threadPage(page)
    }

    /// Deletes a thread and its items durably. - Throws: `TodoError.notFound`.
    public func deleteThread(_ id: String, for user: UserID) async throws {
        try await usable()
        guard let state = users[user], state.threads.thread(id) != nil else { throw TodoError.notFound("thread \(id)") }
        let record = StoreRecord.threadDeleted(id: id)
        state.threads.apply(record)
        try await commit(state, .threads, [record])
    }

    /// Adds an item or replaces the one with the same id (keeping its position), durably.
    /// - Throws: `TodoError.notFound` when the thread does not exist.
    public func saveItem(_ item: StoredItem, for user: UserID) async throws {
        try await usable()
        try Self.checkID(item.id, field: "item_id")
        try Self.checkID(item.threadID, field: "thread_id")
        try Self.checkPayload(item.payload)
        guard let state = users[user], state.threads.thread(item.threadID) != nil else { throw TodoError.notFound("thread \(item.threadID)") }
        let record = StoreRecord.item(item)
        state.threads.apply(record)
        try await commit(state, .threads, [record])
    }

    /// Saves the thread's metadata (when given) and the items in one append with one fdatasync. All of it is
    /// validated and applied to memory before the write, so the log order is the memory order.
    /// - Throws: `TodoError.validation` for a bad id or payload, `TodoError.notFound` when an item's thread
    ///   neither exists nor is `thread` (nothing is written then).
    public nonisolated func saveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async throws {
        // The append is queued on the actor; its records are encoded and its fdatasync awaited off it.
        try await stageItems(items, thread: thread, for: user)?.wait()
    }

    /// Queues the append before it returns (no task of its own); the fdatasync is awaited by `durable()`.
    public nonisolated func beginSaveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async -> PendingSave {
        do {
            let ticket = try await stageItems(items, thread: thread, for: user)
            return PendingSave { try await ticket?.wait() }
        } catch {
            return PendingSave(failed: error)
        }
    }

    /// `saveItems` up to the queued append: its ticket, or nil when there is nothing to write.
    private func stageItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async throws -> DurableTicket? {
        try await usable()
        if let thread {
            try Self.checkID(thread.id, field: "thread_id")
            try Self.checkPayload(thread.payload)
        }
        for item in items {
            try Self.checkID(item.id, field: "item_id")
            try Self.checkID(item.threadID, field: "thread_id")
            try Self.checkPayload(item.payload)
        }
        for item in items where item.threadID != thread?.id {
            guard users[user]?.threads.thread(item.threadID) != nil else { throw TodoError.notFound("thread \(item.threadID)") }
        }
        guard thread != nil || !items.isEmpty else { return nil }
        let state = state(for: user)
        var records: [StoreRecord] = []
        records.reserveCapacity(items.count + 1)
        if let thread { records.append(.thread(thread)) }
        for item in items { records.append(.item(item)) }
        for record in records { state.threads.apply(record) }
        return try await stage(state, .threads, records)
    }

    /// One item. - Throws: `TodoError.notFound`.
    public func item(_ id: String, threadID: String, for user: UserID) async throws -> StoredItem {
        try await usable()
        guard let item = users[user]?.threads.item(id, threadID: threadID) else { throw TodoError.notFound("item \(id)") }
        return item
    }

    /// Removes an item durably. - Throws: `TodoError.notFound`.
    public func deleteItem(_ id: String, threadID: String, for user: UserID) async throws {
        try await usable()
        guard let state = users[user], state.threads.item(id, threadID: threadID) != nil else { throw TodoError.notFound("item \(id)") }
        let record = StoreRecord.itemDeleted(id: id, threadID: threadID)
        state.threads.apply(record)
        try await commit(state, .threads, [record])
    }

    /// A page of a thread's items from the in-memory index (no re-decoding of the history).
    /// - Throws: `TodoError.notFound` when the thread does not exist.
    public func items(threadID: String, for user: UserID, page: PageRequest) async throws -> Page<StoredItem> {
        try await usable()
        try Self.checkLimit(page)
        guard let result = try users[user]?.threads.itemPage(threadID: threadID, page) else { throw TodoError.notFound("thread \(threadID)") }
        return result
    }

    // MARK: Validation

    static func checkID(_ id: String, field: String) throws { try StoreInputRules.checkID(id, field: field) }

    static func checkPayload(_ payload: String) throws { try StoreInputRules.checkPayload(payload) }

    static func checkLimit(_ page: PageRequest) throws { try StoreInputRules.checkLimit(page) }
}
