import PostgresNIO
public import TodoCore
import TodoStore

// MARK: - ThreadRepository

extension PostgresStore {
    /// Creates a thread or replaces its metadata.
    public func saveThread(_ thread: StoredThread, for user: UserID) async throws {
        try StoreInputRules.checkID(thread.id, field: "thread_id")
        try StoreInputRules.checkPayload(thread.payload)
        let logger = self.logger
        try await transaction(user) { connection in
            try await connection.query("""
                INSERT INTO todod_threads (user_id, id, created_at_ms, payload)
                VALUES (\(user.rawValue), \(thread.id), \(thread.createdAt.millisecondsSinceEpoch), \(thread.payload)::jsonb)
                ON CONFLICT (user_id, id) DO UPDATE SET created_at_ms = EXCLUDED.created_at_ms, payload = EXCLUDED.payload
                """, logger: logger)
        }
    }

    /// One thread. - Throws: `TodoError.notFound`.
    public func thread(_ id: String, for user: UserID) async throws -> StoredThread {
        let logger = self.logger
        return try await transaction(user) { connection in
            let rows = try await connection.query(
                "SELECT id, created_at_ms, payload::text FROM todod_threads WHERE user_id = \(user.rawValue) AND id = \(id)", logger: logger)
            for try await (id, created, payload) in rows.decode((String, Int64, String).self) {
                return StoredThread(id: id, createdAt: Timestamp(millisecondsSinceEpoch: created), payload: payload)
            }
            throw TodoError.notFound("thread \(id)")
        }
    }

    /// A page of the user's threads by creation time (ties by id), as the file store pages them.
    public func threads(for user: UserID, page: PageRequest) async throws -> Page<StoredThread> {
        try StoreInputRules.checkLimit(page)
        let logger = self.logger
        return try await transaction(user) { connection in
            let uid = user.rawValue
            var cursor: (Int64, String)?
            if let after = page.after {
                let rows = try await connection.query(
                    "SELECT created_at_ms, id FROM todod_threads WHERE user_id = \(uid) AND id = \(after)", logger: logger)
                for try await (created, id) in rows.decode((Int64, String).self) { cursor = (created, id) }
                guard cursor != nil else { throw TodoError.validation(field: "after", "unknown cursor \(after)") }
            }
            let take = page.limit + 1
            let columns = "SELECT id, created_at_ms, payload::text FROM todod_threads WHERE user_id = "
            let rows: PostgresRowSequence
            switch (page.order, cursor) {
            case (.asc, nil):
                rows = try await connection.query("\(unescaped: columns)\(uid) ORDER BY created_at_ms, id LIMIT \(take)", logger: logger)
            case (.asc, let (ms, id)?):
                rows = try await connection.query(
                    "\(unescaped: columns)\(uid) AND (created_at_ms, id) > (\(ms), \(id)) ORDER BY created_at_ms, id LIMIT \(take)", logger: logger)
            case (.desc, nil):
                rows = try await connection.query("\(unescaped: columns)\(uid) ORDER BY created_at_ms DESC, id DESC LIMIT \(take)", logger: logger)
            case (.desc, let (ms, id)?):
                rows = try await connection.query(
                    "\(unescaped: columns)\(uid) AND (created_at_ms, id) < (\(ms), \(id)) ORDER BY created_at_ms DESC, id DESC LIMIT \(take)",
                    logger: logger)
            }
            var data: [StoredThread] = []
            for try await (id, created, payload) in rows.decode((String, Int64, String).self) {
                data.append(StoredThread(id: id, createdAt: Timestamp(millisecondsSinceEpoch: created), payload: payload))
            }
            let hasMore = data.count > page.limit
            if hasMore { data.removeLast() }
            return Page(data: data, hasMore: hasMore, after: data.last?.id)
        }
    }

    /// Deletes a thread and its items. - Throws: `TodoError.notFound`.
    public func deleteThread(_ id: String, for user: UserID) async throws {
        let logger = self.logger
        try await transaction(user) { connection in
            let gone = try await Self.single(connection.query(
                "DELETE FROM todod_threads WHERE user_id = \(user.rawValue) AND id = \(id) RETURNING id", logger: logger), String.self)
            guard gone != nil else { throw TodoError.notFound("thread \(id)") }
        }
    }

    /// Adds an item or replaces the one with the same id, keeping its position.
    /// - Throws: `TodoError.notFound` when the thread does not exist.
    public func saveItem(_ item: StoredItem, for user: UserID) async throws {
        try StoreInputRules.checkID(item.id, field: "item_id")
        try StoreInputRules.checkID(item.threadID, field: "thread_id")
        try StoreInputRules.checkPayload(item.payload)
        let logger = self.logger
        try await transaction(user) { connection in
            let uid = user.rawValue
            let thread = try await Self.single(connection.query(
                "SELECT id FROM todod_threads WHERE user_id = \(uid) AND id = \(item.threadID) FOR SHARE", logger: logger), String.self)
            guard thread != nil else { throw TodoError.notFound("thread \(item.threadID)") }
            try await connection.query("""
                INSERT INTO todod_items (user_id, thread_id, id, created_at_ms, payload)
                VALUES (\(uid), \(item.threadID), \(item.id), \(item.createdAt.millisecondsSinceEpoch), \(item.payload)::jsonb)
                ON CONFLICT (user_id, thread_id, id) DO UPDATE SET created_at_ms = EXCLUDED.created_at_ms, payload = EXCLUDED.payload
                """, logger: logger)
        }
    }

    /// Saves the thread's metadata (when given) and the items, in order, in one transaction.
    /// - Throws: `TodoError.notFound` when an item's thread neither exists nor is `thread` (the transaction
    ///   rolls back: nothing is saved).
    public func saveItems(_ items: [StoredItem], thread: StoredThread?, for user: UserID) async throws {
        if let thread {
            try StoreInputRules.checkID(thread.id, field: "thread_id")
            try StoreInputRules.checkPayload(thread.payload)
        }
        for item in items {
            try StoreInputRules.checkID(item.id, field: "item_id")
            try StoreInputRules.checkID(item.threadID, field: "thread_id")
            try StoreInputRules.checkPayload(item.payload)
        }
        guard thread != nil || !items.isEmpty else { return }
        let logger = self.logger
        try await transaction(user) { connection in
            let uid = user.rawValue
            var present: Set<String> = []
            if let thread {
                try await connection.query("""
                    INSERT INTO todod_threads (user_id, id, created_at_ms, payload)
                    VALUES (\(uid), \(thread.id), \(thread.createdAt.millisecondsSinceEpoch), \(thread.payload)::jsonb)
                    ON CONFLICT (user_id, id) DO UPDATE SET created_at_ms = EXCLUDED.created_at_ms, payload = EXCLUDED.payload
                    """, logger: logger)
                present.insert(thread.id)
            }
            for item in items {
                if !present.contains(item.threadID) {
                    let found = try await Self.single(connection.query(
                        "SELECT id FROM todod_threads WHERE user_id = \(uid) AND id = \(item.threadID) FOR SHARE", logger: logger), String.self)
                    guard found != nil else { throw TodoError.notFound("thread \(item.threadID)") }
                    present.insert(item.threadID)
                }
                try await connection.query("""
                    INSERT INTO todod_items (user_id, thread_id, id, created_at_ms, payload)
                    VALUES (\(uid), \(item.threadID), \(item.id), \(item.createdAt.millisecondsSinceEpoch), \(item.payload)::jsonb)
                    ON CONFLICT (user_id, thread_id, id) DO UPDATE SET created_at_ms = EXCLUDED.created_at_ms, payload = EXCLUDED.payload
                    """, logger: logger)
            }
        }
    }

    /// One item. - Throws: `TodoError.notFound`.
    public func item(_ id: String, threadID: String, for user: UserID) async throws -> StoredItem {
        let logger = self.logger
        return try await transaction(user) { connection in
            let rows = try await connection.query("""
                SELECT created_at_ms, payload::text FROM todod_items WHERE user_id = \(user.rawValue) AND thread_id = \(threadID) AND id = \(id)
                """, logger: logger)
            for try await (created, payload) in rows.decode((Int64, String).self) {
                return StoredItem(id: id, threadID: threadID, createdAt: Timestamp(millisecondsSinceEpoch: created), payload: payload)
            }
            throw TodoError.notFound("item \(id)")
        }
    }

    /// Removes an item. - Throws: `TodoError.notFound`.
    public func deleteItem(_ id: String, threadID: String, for user: UserID) async throws {
        let logger = self.logger
        try await transaction(user) { connection in
            let gone = try await Self.single(connection.query(
                "DELETE FROM todod_items WHERE user_id = \(user.rawValue) AND thread_id = \(threadID) AND id = \(id) RETURNING id",
                logger: logger), String.self)
            guard gone != nil else { throw TodoError.notFound("item \(id)") }
        }
    }

    /// A page of a thread's items in insertion order.
    /// - Throws: `TodoError.notFound` when the thread does not exist; `TodoError.validation` for an unknown cursor.
    public func items(threadID: String, for user: UserID, page: PageRequest) async throws -> Page<StoredItem> {
        try StoreInputRules.checkLimit(page)
        let logger = self.logger
        return try await transaction(user) { connection in
            let uid = user.rawValue
            let thread = try await Self.single(connection.query(
                "SELECT id FROM todod_threads WHERE user_id = \(uid) AND id = \(threadID)", logger: logger), String.self)
            guard thread != nil else { throw TodoError.notFound("thread \(threadID)") }
            let ascending = page.order == .asc
            var position = ascending ? Int64.min : Int64.max
            if let after = page.after {
                let at = try await Self.single(connection.query(
                    "SELECT position FROM todod_items WHERE user_id = \(uid) AND thread_id = \(threadID) AND id = \(after)", logger: logger),
                    Int64.self)
                guard let at else { throw TodoError.validation(field: "after", "unknown cursor \(after)") }
                position = at
            }
            let take = page.limit + 1
            let rows = try await connection.query(ascending
                ? "SELECT id, created_at_ms, payload::text FROM todod_items WHERE user_id = \(uid) AND thread_id = \(threadID) AND position > \(position) ORDER BY position LIMIT \(take)"
                : "SELECT id, created_at_ms, payload::text FROM todod_items WHERE user_id = \(uid) AND thread_id = \(threadID) AND position < \(position) ORDER BY position DESC LIMIT \(take)",
                logger: logger)
            var data: [StoredItem] = []
            for try await (id, created, payload) in rows.decode((String, Int64, String).self) {
                data.append(StoredItem(id: id, threadID: threadID, createdAt: Timestamp(millisecondsSinceEpoch: created), payload: payload))
            }
            let hasMore = data.count > page.limit
            if hasMore { data.removeLast() }
            return Page(data: data, hasMore: hasMore, after: data.last?.id)
        }
    }
}
