import PostgresNIO
public import TodoCore
public import TodoStore

// MARK: - Export, import, statistics

extension PostgresStore {
    /// Every user's tasks and threads (or only `only`'s), sorted by user, in the file store's export format.
    public func exportAll(only: UserID?) async throws -> ExportDocument {
        let logger = self.logger
        let users = try await transaction(only) { connection in
            var tasks: [String: [TaskItem]] = [:]
            for try await (user, text) in try await connection.query(
                "SELECT user_id, data::text FROM todod_tasks ORDER BY position", logger: logger
            ).decode((String, String).self) {
                tasks[user, default: []].append(try TaskJSON.decode(text))
            }
            var threads: [String: [ExportedThread]] = [:]
            var index: [String: Int] = [:]
            for try await (user, id, created, payload) in try await connection.query(
                "SELECT user_id, id, created_at_ms, payload::text FROM todod_threads ORDER BY user_id, created_at_ms, id", logger: logger
            ).decode((String, String, Int64, String).self) {
                index[user + "\u{0}" + id] = threads[user, default: []].count
                threads[user, default: []].append(ExportedThread(
                    thread: StoredThread(id: id, createdAt: Timestamp(millisecondsSinceEpoch: created), payload: payload), items: []))
            }
            for try await (user, thread, id, created, payload) in try await connection.query(
                "SELECT user_id, thread_id, id, created_at_ms, payload::text FROM todod_items ORDER BY position", logger: logger
            ).decode((String, String, String, Int64, String).self) {
                guard let i = index[user + "\u{0}" + thread] else { continue }
                threads[user]?[i].items.append(
                    StoredItem(id: id, threadID: thread, createdAt: Timestamp(millisecondsSinceEpoch: created), payload: payload))
            }
            var undo: [String: [ExportedUndoEntry]] = [:]
            for try await (user, action, text) in try await connection.query(
                "SELECT user_id, action, task::text FROM todod_undo ORDER BY seq", logger: logger
            ).decode((String, String, String).self) {
                guard let action = TaskChange.Kind(rawValue: action) else { continue }
                undo[user, default: []].append(ExportedUndoEntry(action: action, task: try TaskJSON.decode(text)))
            }
            return Set(tasks.keys).union(threads.keys).union(undo.keys).sorted().compactMap { raw -> ExportedUser? in
                guard let user = try? UserID(raw) else { return nil }
                return ExportedUser(user: user, tasks: tasks[raw] ?? [], threads: threads[raw] ?? [], undo: undo[raw] ?? [])
            }
        }
        return ExportDocument(exportedAt: clock.now(), users: users)
    }

    /// Merges an export, one transaction per user, by the file store's rules: a task whose id exists is replaced
    /// only by a later `updated_at`; existing threads and items are kept; everything is validated first.
    public func importAll(_ document: ExportDocument) async throws -> ImportReport {
        try StoreInputRules.checkImport(document)
        let logger = self.logger
        var report = ImportReport()
        for exported in document.users {
            let user = exported.user
            let part = try await transaction(user, lockUser: true) { connection in
                var report = ImportReport()
                for given in exported.tasks {
                    let task = (try? given.validated()) ?? given
                    let json = try TaskJSON.encode(task)
                    let existing = try? await Self.current(connection, user, task.id, lock: true, logger: logger)
                    if let existing {
                        guard task.updatedAt > existing.updatedAt else { report.tasksSkipped += 1; continue }
                        try await connection.query(
                            "UPDATE todod_tasks SET data = \(json)::jsonb WHERE user_id = \(user.rawValue) AND id = \(task.id.rawValue)", logger: logger)
                        report.tasksUpdated += 1
                    } else {
                        try await connection.query(
                            "INSERT INTO todod_tasks (user_id, id, data) VALUES (\(user.rawValue), \(task.id.rawValue), \(json)::jsonb)", logger: logger)
                        report.tasksAdded += 1
                    }
                    try await Self.logChange(connection, user, existing == nil ? .created : .updated, json, logger: logger)
                }
                let history = try await Self.single(connection.query(
                    "SELECT count(*)::bigint FROM todod_undo WHERE user_id = \(user.rawValue)", logger: logger), Int64.self) ?? 0
                if history == 0 {
                    for entry in exported.undo.suffix(Self.undoLimit) {
                        try await Self.recordUndo(connection, user, entry.action, try TaskJSON.encode(entry.task), logger: logger)
                        report.undoAdded += 1
                    }
                } else {
                    report.undoSkipped += exported.undo.count
                }
                for entry in exported.threads {
                    let thread = entry.thread
                    let added = try await Self.single(connection.query("""
                        INSERT INTO todod_threads (user_id, id, created_at_ms, payload)
                        VALUES (\(user.rawValue), \(thread.id), \(thread.createdAt.millisecondsSinceEpoch), \(thread.payload)::jsonb)
                        ON CONFLICT (user_id, id) DO NOTHING RETURNING id
                        """, logger: logger), String.self)
                    if added == nil { report.threadsSkipped += 1 } else { report.threadsAdded += 1 }
                    for item in entry.items {
                        let added = try await Self.single(connection.query("""
                            INSERT INTO todod_items (user_id, thread_id, id, created_at_ms, payload)
                            VALUES (\(user.rawValue), \(item.threadID), \(item.id), \(item.createdAt.millisecondsSinceEpoch), \(item.payload)::jsonb)
                            ON CONFLICT (user_id, thread_id, id) DO NOTHING RETURNING id
                            """, logger: logger), String.self)
                        if added == nil { report.itemsSkipped += 1 } else { report.itemsAdded += 1 }
                    }
                }
                return report
            }
            report.tasksAdded += part.tasksAdded
            report.tasksUpdated += part.tasksUpdated
            report.tasksSkipped += part.tasksSkipped
            report.threadsAdded += part.threadsAdded
            report.threadsSkipped += part.threadsSkipped
            report.itemsAdded += part.itemsAdded
            report.itemsSkipped += part.itemsSkipped
            report.undoAdded += part.undoAdded
            report.undoSkipped += part.undoSkipped
        }
        return report
    }

    /// Counts of users, tasks, threads and items; `bytes` is the database's size.
    public func stats() async throws -> StoreStats {
        let logger = self.logger
        return try await transaction(nil) { connection in
            let rows = try await connection.query("""
                SELECT (SELECT count(*) FROM (SELECT user_id FROM todod_tasks UNION SELECT user_id FROM todod_threads) u)::bigint,
                       (SELECT count(*) FROM todod_tasks)::bigint, (SELECT count(*) FROM todod_threads)::bigint,
                       (SELECT count(*) FROM todod_items)::bigint, pg_database_size(current_database())::bigint
                """, logger: logger)
            for try await (users, tasks, threads, items, bytes) in rows.decode((Int64, Int64, Int64, Int64, Int64).self) {
                return StoreStats(users: Int(users), tasks: Int(tasks), threads: Int(threads), items: Int(items), bytes: Int(bytes))
            }
            return StoreStats(users: 0, tasks: 0, threads: 0, items: 0, bytes: 0)
        }
    }

    /// PostgreSQL reclaims space itself.
    /// - Throws: `TodoError.conflict` saying so.
    public func compact() async throws -> CompactionReport {
        throw TodoError.conflict("compaction is for the file store; on PostgreSQL, autovacuum reclaims space (run VACUUM to force it)")
    }

    /// Backups of a database are the database's business.
    /// - Throws: `TodoError.conflict` naming pg_dump.
    public func backup(to directory: String) async throws -> BackupReport {
        throw TodoError.conflict("backup copies a data directory; for PostgreSQL use pg_dump (or `todoctl export`)")
    }
}
