public import TodoCore

// MARK: - Compaction, backup, export, import

extension Store {
    /// Rewrites every data file to only its live records (temp file, fsync, rename, directory fsync).
    /// Writes queued meanwhile are covered by the rewrite or appended after it.
    public func compact() async throws -> CompactionReport {
        try await usable()
        var report = CompactionReport(files: 0, linesBefore: 0, linesAfter: 0)
        for user in users.keys.sorted() {
            guard let state = users[user] else { continue }
            for kind in [FileKind.tasks, .threads] {
                let writer = state.writer(kind)
                let before = state.lineCounts(kind).total
                guard writer.existsOnDisk || writer.isBusy || before > 0 else { continue }
                try await rewrite(user, kind)
                report.files += 1
                report.linesBefore += before
                report.linesAfter += state.lineCounts(kind).live
            }
        }
        return report
    }

    /// Writes a consistent copy of every user's data into `directory` (which must not exist or be empty),
    /// as a data directory `Store.open` can open. Every file is synced and renamed into place.
    /// - Parameter directory: the backup directory.
    public func backup(to directory: String) async throws -> BackupReport {
        try await usable()
        var files: [(user: String, kind: FileKind, bytes: [UInt8])] = []
        for user in users.keys.sorted() {
            guard let state = users[user] else { continue }
            for kind in [FileKind.tasks, .threads] where state.lineCounts(kind).live > 0 {
                var bytes = RecordCodec.encode(.header(kind: kind.rawValue, version: storeFormatVersion))
                for record in state.snapshot(kind) { bytes += RecordCodec.encode(record) }
                files.append((user.rawValue, kind, bytes))
            }
        }
        let snapshot = files.map { BackupFile(user: $0.user, name: $0.kind.fileName, bytes: $0.bytes) }
        let backend = self.backend
        let userCount = Set(snapshot.map(\.user)).count
        return try await io.run {
            if backend.exists(directory), !(try backend.list(directory)).isEmpty {
                throw StoreError(.invalidArgument, "backup directory \(directory) exists and is not empty", path: directory)
            }
            try backend.createDirectory(directory)
            try backend.fsyncDirectory(parentDirectory(directory))
            let usersDirectory = joinPath(directory, "users")
            try backend.createDirectory(usersDirectory)
            try backend.fsyncDirectory(directory)
            var bytes = 0
            for user in Set(snapshot.map(\.user)).sorted() {
                try backend.createDirectory(joinPath(usersDirectory, user))
            }
            try backend.fsyncDirectory(usersDirectory)
            for file in snapshot {
                let userDirectory = joinPath(usersDirectory, file.user)
                let tmp = joinPath(userDirectory, file.name + ".tmp")
                let handle = try backend.open(tmp, mode: .createExclusive)
                defer { backend.close(handle) }
                try backend.write(handle, file.bytes)
                try backend.fsync(handle)
                try backend.rename(tmp, to: joinPath(userDirectory, file.name))
                try backend.fsyncDirectory(userDirectory)
                bytes += file.bytes.count
            }
            return BackupReport(directory: directory, users: userCount, files: snapshot.count, bytes: bytes)
        }
    }

    /// Every user's tasks and threads, sorted by user (or only `user`'s).
    /// - Parameter only: when set, just this user's data.
    public func exportAll(only: UserID? = nil) async throws -> ExportDocument {
        try await usable()
        var out: [ExportedUser] = []
        for user in users.keys.sorted() where only == nil || only == user {
            guard let state = users[user] else { continue }
            let threads = state.threads.snapshotRecords().map { ExportedThread(thread: $0.thread, items: $0.items) }
            let tasks = state.tasks.allTasks
            let undo = state.tasks.undoHistory.map { ExportedUndoEntry(action: $0.action, task: $0.task) }
            if tasks.isEmpty && threads.isEmpty && undo.isEmpty { continue }
            out.append(ExportedUser(user: user, tasks: tasks, threads: threads, undo: undo))
        }
        return ExportDocument(exportedAt: clock.now(), users: out)
    }

    /// Merges an export into the store, durably. Everything is validated before anything is written.
    /// Conflicts: a task whose id exists is replaced only when the imported `updated_at` is later (else
    /// skipped); existing threads and items are kept (skipped), new items are appended to their thread.
    /// - Parameter document: the export.
    /// - Throws: `TodoError.validation` naming the offending field (for example `users[0].tasks[3].title`).
    public func importAll(_ document: ExportDocument) async throws -> ImportReport {
        try await usable()
        try Self.validate(document)
        var report = ImportReport()
        for exported in document.users {
            let state = state(for: exported.user)
            var taskRecords: [StoreRecord] = []
            var changes: [TaskChange] = []
            for given in exported.tasks {
                let task = (try? given.validated()) ?? given // validated above; this normalizes labels and project
                if let existing = state.tasks.task(task.id) {
                    guard task.updatedAt > existing.updatedAt else { report.tasksSkipped += 1; continue }
                    report.tasksUpdated += 1
                    changes.append(TaskChange(kind: .updated, user: exported.user, task: task))
                } else {
                    report.tasksAdded += 1
                    changes.append(TaskChange(kind: .created, user: exported.user, task: task))
                }
                let record = StoreRecord.task(task, requestID: nil)
                state.tasks.apply(record)
                taskRecords.append(record)
            }
            if state.tasks.undoHistory.isEmpty {
                for entry in exported.undo.suffix(TaskTable.maxUndo) {
                    let record = state.tasks.undoRecord(entry.action, entry.task)
                    state.tasks.apply(record)
                    taskRecords.append(record)
                    report.undoAdded += 1
                }
            } else {
                report.undoSkipped += exported.undo.count
            }
            var threadRecords: [StoreRecord] = []
            for entry in exported.threads {
                if state.threads.thread(entry.thread.id) == nil {
                    threadRecords.append(.thread(entry.thread))
                    state.threads.apply(.thread(entry.thread))
                    report.threadsAdded += 1
                } else {
                    report.threadsSkipped += 1
                }
                for item in entry.items {
                    guard state.threads.item(item.id, threadID: item.threadID) == nil else { report.itemsSkipped += 1; continue }
                    threadRecords.append(.item(item))
                    state.threads.apply(.item(item))
                    report.itemsAdded += 1
                }
            }
            if !taskRecords.isEmpty { try await commit(state, .tasks, taskRecords, changes: changes) }
            if !threadRecords.isEmpty { try await commit(state, .threads, threadRecords) }
        }
        return report
    }

    static func validate(_ document: ExportDocument) throws {
        for (u, exported) in document.users.enumerated() {
            let tasks = exported.tasks.enumerated().map { ("users[\(u)].tasks[\($0.offset)].", $0.element) }
            let undone = exported.undo.enumerated().map { ("users[\(u)].undo[\($0.offset)].task.", $0.element.task) }
            for (prefix, task) in tasks + undone {
                do {
                    guard try TaskRules.title(task.title) == task.title else {
                        throw TodoError.validation(field: "title", "title must not have leading or trailing whitespace")
                    }
                    _ = try task.validated()
                } catch let error as TodoError {
                    throw TodoError.validation(field: prefix + (error.field ?? "task"), error.message)
                }
            }
            for (t, entry) in exported.threads.enumerated() {
                let prefix = "users[\(u)].threads[\(t)]."
                guard isSafeID(entry.thread.id) else { throw TodoError.validation(field: prefix + "thread.id", "invalid thread id") }
                for (i, item) in entry.items.enumerated() where !isSafeID(item.id) || item.threadID != entry.thread.id {
                    throw TodoError.validation(field: prefix + "items[\(i)]", "item id must be a safe id and thread_id must be its thread's id")
                }
            }
        }
    }
}

/// One file of a backup.
private struct BackupFile: Sendable {
    var user: String
    var name: String
    var bytes: [UInt8]
}
