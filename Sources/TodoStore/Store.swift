public import Logging
public import TodoCore

// MARK: - Store

/// The durable JSON-lines store: every user's tasks in `users/<user>/tasks.jsonl`, chat threads in
/// `users/<user>/threads.jsonl` (format in `data/README.md`).
///
/// A write returns only after its line is written and fdatasync'ed; concurrent writes to one file share
/// one write + fdatasync (group commit). Blocking calls run on dedicated I/O threads. After any failed
/// write, fsync or rename the store fail-stops: every later call throws `StoreError` `.stopped` and the
/// `onFatalFailure` handlers run, so the daemon can exit non-zero and be restarted into recovery.
public actor Store: DataStore {
    let directory: String
    let usersDirectory: String
    let backend: any StorageBackend
    let clock: any WallClock
    let options: StoreOptions
    let logger: Logger
    let io = IOExecutor()
    let hub = ChangeHub()
    let relay = FatalRelay()
    let fail: FailState
    let context: WriterContext
    var users: [UserID: UserState] = [:]
    var lock: StorageLock?
    var isClosed = false
    /// Running rewrites, by "user/kind".
    var rewriteTasks: [String: Task<Void, any Error>] = [:]
    /// A fast generator for task ids, seeded once from the system (ids need uniqueness, not secrecy).
    var idGenerator = IDGenerator()
    /// The load still running after a deferred open (`StoreOptions.deferLoading`); nil once installed.
    var loading: Task<[UserID: RecoveredUser], any Error>?

    private init(directory: String, backend: any StorageBackend, clock: any WallClock, options: StoreOptions, logger: Logger) {
        self.directory = directory
        self.usersDirectory = joinPath(directory, "users")
        self.backend = backend
        self.clock = clock
        self.options = options
        self.logger = logger
        self.fail = FailState(relay: relay, hub: hub, logger: logger)
        self.context = WriterContext(backend: backend, queue: io.queue, groupCommit: options.groupCommit, fail: fail, hub: hub, counters: CommitCounters(),
            metrics: options.metrics)
    }

    var failureState: StoreError? { fail.error }

    // MARK: Opening and closing

    /// Opens (creating when missing) a data directory and runs recovery: torn last records are cut off and
    /// logged; a corrupt record followed by valid ones throws (or, with `options.repair`, is quarantined).
    /// - Parameters:
    ///   - directory: the data directory (created with mode 0700).
    ///   - backend: the disk (`POSIXStorage` or a `SimulatedDisk`).
    ///   - clock: the source of timestamps.
    ///   - options: group commit, repair, compaction and locking options.
    ///   - logger: where recovery and failures are logged.
    /// - Throws: `StoreError` (`.locked`, `.corruptRecord`, `.unsupportedVersion`, `.io`).
    public static func open(
        directory: String, backend: any StorageBackend = POSIXStorage(), clock: any WallClock = SystemWallClock(),
        options: StoreOptions = .init(), logger: Logger
    ) async throws -> Store {
        let store = Store(directory: directory, backend: backend, clock: clock, options: options, logger: logger)
        try await store.recover()
        return store
    }

    /// Locks the directory and recovers it; with `deferLoading` and cleanly ended files, starts the load and
    /// returns before it finishes (see `Store+Loading.swift`).
    private func recover() async throws {
        let recovery = Recovery(directory: directory, backend: backend, repair: options.repair, logger: logger, now: clock.now())
        let (lock, found): (StorageLock?, [UserID: RecoveredUser]?) = try await io.run { [backend, directory, options] in
            let existed = backend.exists(directory)
            try backend.createDirectory(directory)
            if !existed { try backend.fsyncDirectory(parentDirectory(directory)) }
            let lock = options.lockDirectory ? try backend.lock(directory: directory) : nil
            do {
                if options.deferLoading, try recovery.edgesAreClean() { return (lock, nil) }
                return (lock, try recovery.run())
            } catch {
                lock?.release()
                throw error
            }
        }
        self.lock = lock
        if let found {
            install(found)
        } else {
            startDeferredLoad(recovery)
        }
    }

    /// Makes recovered users live and logs what was opened.
    func install(_ found: [UserID: RecoveredUser]) {
        for (user, recovered) in found {
            users[user] = UserState(user: user, directory: joinPath(usersDirectory, user.rawValue), recovered: recovered, context: context)
        }
        let s = stats()
        logger.info("store opened", metadata: ["todo.data_dir": "\(directory)", "todo.users": "\(s.users)", "todo.tasks": "\(s.tasks)"])
    }

    /// Waits for queued writes, closes files, ends change streams and releases the directory lock.
    /// Later calls throw `StoreError` `.closed`.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        if let loading {
            // Its reads (and a repair's writes) must end before the lock is released.
            _ = try? await loading.value
            self.loading = nil
        }
        for task in rewriteTasks.values { _ = try? await task.value }
        for state in users.values {
            for writer in [state.taskWriter, state.threadWriter] { await writer.waitIdle() }
        }
        for state in users.values {
            for writer in [state.taskWriter, state.threadWriter] {
                if let handle = writer.takeHandle() { backend.close(handle) }
            }
        }
        hub.finish()
        lock?.release()
        lock = nil
    }

    // MARK: Failure

    /// The error that fail-stopped the store, or nil while healthy.
    public var failure: StoreError? { failureState }

    /// Registers a handler called once when the store fail-stops (immediately if it already has).
    /// - Parameter handler: receives the `.stopped` error; the daemon exits non-zero from it.
    public nonisolated func onFatalFailure(_ handler: @escaping @Sendable (StoreError) -> Void) {
        relay.add(handler)
    }

    /// Throws when the store cannot serve requests.
    func checkUsable() throws {
        if let failureState { throw failureState }
        if isClosed { throw StoreError.closedStore }
    }

    // MARK: Stats

    /// Counts of users, tasks, threads, items and bytes in data files.
    public func stats() -> StoreStats {
        let counts = context.counters.value
        var s = StoreStats(users: 0, tasks: 0, threads: 0, items: 0, bytes: 0, appends: counts.appends, syncs: counts.syncs)
        var files = [StoreFileStats(file: "tasks", bytes: 0, lines: 0, liveLines: 0), StoreFileStats(file: "threads", bytes: 0, lines: 0, liveLines: 0)]
        for state in users.values {
            for (index, kind) in [FileKind.tasks, .threads].enumerated() {
                let lines = state.lineCounts(kind)
                files[index].bytes += state.writer(kind).size
                files[index].lines += lines.total
                files[index].liveLines += lines.live
            }
            s.users += 1
            s.tasks += state.tasks.count
            s.threads += state.threads.threads.count
            s.items += state.threads.itemCount
            s.bytes += state.taskWriter.size + state.threadWriter.size
        }
        s.files = files
        return s
    }

    /// Threads of `user` whose items recovery has not decoded yet (they are decoded on first use).
    func unloadedThreadCount(for user: UserID) -> Int { users[user]?.threads.unloadedThreadCount ?? 0 }

    /// The data directory this store uses.
    public nonisolated var dataDirectory: String { directory }

    /// The data directory, as `DataStore` names the location.
    public nonisolated var location: String { directory }

    // MARK: Helpers

    /// The user's state, created empty for a new user.
    func state(for user: UserID) -> UserState {
        if let s = users[user] { return s }
        let s = UserState(user: user, directory: joinPath(usersDirectory, user.rawValue), recovered: nil, context: context)
        users[user] = s
        return s
    }
}
