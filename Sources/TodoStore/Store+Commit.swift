import Logging
import TodoCore

// MARK: - Appends

extension Store {
    /// Appends `records` to one of the user's files and returns once they are durable. The records must
    /// already be applied to memory (so the log order is the memory order, and a rewrite's snapshot covers
    /// every append still queued when it is taken).
    func commit(_ state: UserState, _ kind: FileKind, _ records: [StoreRecord], changes: [TaskChange] = []) async throws {
        try await stage(state, kind, records, changes: changes).wait()
    }

    /// Queues `records` for one of the user's files and returns the ticket that says when they are durable
    /// (await it off the actor: see `DurableTicket`). The records must already be applied to memory.
    func stage(_ state: UserState, _ kind: FileKind, _ records: [StoreRecord], changes: [TaskChange] = []) async throws -> DurableTicket {
        if kind == .tasks, state.tasks.fileVersion < storeFormatVersion, !records.isEmpty, state.taskWriter.existsOnDisk {
            // A version 1 file gets a version 2 header before its first version 2 line: the rewrite's snapshot
            // already holds `records` (applied to memory), and appending them again after it is harmless
            // (every task record is idempotent).
            try await rewrite(state.user, .tasks)
        }
        let writer = state.writer(kind)
        considerAutoCompaction(state, kind)
        // Queued in log order as records; the ticket's waiter (or the I/O thread) encodes them off the actor.
        let queued = QueuedRecords(records)
        let ticket = DurableTicket(records: queued)
        writer.enqueue(PendingWrite(records: queued, waiter: ticket, changes: changes))
        return ticket
    }

    /// Returns once everything queued so far for this file is durable (including appends a running
    /// rewrite has taken over).
    func barrier(_ user: UserID, _ kind: FileKind) async throws {
        if let running = rewriteTasks[user.rawValue + "/" + kind.rawValue] { try await running.value }
        guard let state = users[user], state.writer(kind).isBusy else { return }
        try await commit(state, kind, [])
    }

    // MARK: Rewrites

    /// Rewrites one file to its live records (at most one rewrite per file at a time; a second caller
    /// waits for the running one).
    func rewrite(_ user: UserID, _ kind: FileKind) async throws {
        let key = user.rawValue + "/" + kind.rawValue
        if let running = rewriteTasks[key] { return try await running.value }
        let task = Task {
            defer { self.rewriteTasks[key] = nil }
            try await self.performRewrite(user, kind)
        }
        rewriteTasks[key] = task
        try await task.value
    }

    /// Pauses the file's writer, writes a snapshot of memory (which includes every queued append) to a temp
    /// file, fsyncs it, renames it over the file, fsyncs the directory, then acknowledges the queued appends
    /// it covered and lets the writer continue on the new file.
    private func performRewrite(_ user: UserID, _ kind: FileKind) async throws {
        guard let state = users[user] else { return }
        let writer = state.writer(kind)
        await writer.pause()
        defer { writer.unpause() }
        if let failure = fail.error { throw failure }
        let covered = writer.takePending()
        let linesBefore = state.lineCounts(kind).total
        let records = state.snapshot(kind)
        var bytes = RecordCodec.encode(.header(kind: kind.rawValue, version: storeFormatVersion))
        for record in records { bytes += RecordCodec.encode(record) }
        let (backend, oldHandle, needDirectory) = (self.backend, writer.handle, !writer.directoryDurable.value)
        let (path, directory, snapshotBytes) = (writer.path, writer.directory, bytes)
        do {
            let file = try await io.run {
                if needDirectory {
                    try backend.createDirectory(directory)
                    try backend.fsyncDirectory(parentDirectory(directory))
                }
                let tmp = path + ".tmp"
                if backend.exists(tmp) { try backend.remove(tmp) }
                let file = try backend.open(tmp, mode: .createExclusive)
                try backend.write(file, snapshotBytes)
                try backend.fsync(file)
                try backend.rename(tmp, to: path)
                try backend.fsyncDirectory(directory)
                if let oldHandle { backend.close(oldHandle) }
                return file
            }
            if needDirectory { writer.directoryDurable.set() }
            writer.installRewrite(handle: file, size: bytes.count)
            let lines = records.count + state.lineCounts(kind).total - linesBefore
            if kind == .tasks { state.tasks.didRewrite(lines: lines) } else { state.threads.lineCount = lines }
            if let failure = fail.error { throw failure }
            context.metrics.compacted(file: kind == .tasks ? "tasks" : "threads")
            logger.debug("compacted", metadata: ["todo.path": "\(path)", "todo.lines_before": "\(linesBefore)", "todo.lines_after": "\(records.count)"])
            writer.acknowledge(covered, synced: covered.contains(where: \.isAppend))
        } catch {
            let stopped = fail.stop(error)
            covered.forEach { $0.waiter?.resume(throwing: stopped) }
            throw stopped
        }
    }

    /// Starts a background rewrite when dead lines outnumber live ones in a large enough file.
    private func considerAutoCompaction(_ state: UserState, _ kind: FileKind) {
        guard options.autoCompact, !isClosed, fail.error == nil else { return }
        let (total, live) = state.lineCounts(kind)
        guard total >= options.autoCompactMinimumLines, total - live > live else { return }
        let key = state.user.rawValue + "/" + kind.rawValue
        guard rewriteTasks[key] == nil else { return }
        let user = state.user
        let task = Task {
            defer { self.rewriteTasks[key] = nil }
            try await self.performRewrite(user, kind)
        }
        rewriteTasks[key] = task
    }
}
