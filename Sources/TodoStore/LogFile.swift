import Logging
import Synchronization
import TodoCore

// MARK: - PendingWrite

/// One queued append: its records (none for a pure "wait until durable" barrier), who to resume and which
/// changes to publish once it is durable.
struct PendingWrite: Sendable {
    var records: QueuedRecords
    var waiter: DurableTicket?
    var changes: [TaskChange]

    /// Whether it writes anything (a barrier does not).
    var isAppend: Bool { !records.isEmpty }
}

// MARK: - UserState

/// One user's in-memory state and files. Owned by the `Store` actor; the writers are thread-safe.
final class UserState {
    let user: UserID
    let directory: String
    var tasks: TaskTable
    var threads: ThreadTable
    let taskWriter: LogWriter
    let threadWriter: LogWriter
    /// Files with a rewrite (compaction) in progress.
    var rewriting: Set<FileKind> = []

    init(user: UserID, directory: String, recovered: RecoveredUser?, context: WriterContext) {
        self.user = user
        self.directory = directory
        self.tasks = recovered?.tasks ?? TaskTable()
        self.threads = recovered?.threads ?? ThreadTable()
        let durable = SharedFlag(recovered != nil)
        self.taskWriter = LogWriter(kind: .tasks, directory: directory, existsOnDisk: recovered?.taskFileSize != nil,
                                    size: recovered?.taskFileSize ?? 0, directoryDurable: durable, context: context)
        self.threadWriter = LogWriter(kind: .threads, directory: directory, existsOnDisk: recovered?.threadFileSize != nil,
                                      size: recovered?.threadFileSize ?? 0, directoryDurable: durable, context: context)
    }

    func writer(_ kind: FileKind) -> LogWriter { kind == .tasks ? taskWriter : threadWriter }

    /// Lines in the file (after the header) and lines compaction would keep.
    func lineCounts(_ kind: FileKind) -> (total: Int, live: Int) {
        kind == .tasks ? (tasks.lineCount, tasks.liveLineCount) : (threads.lineCount, threads.liveLineCount)
    }

    /// The records a rewrite of `kind` contains.
    func snapshot(_ kind: FileKind) -> [StoreRecord] {
        kind == .tasks ? tasks.snapshotRecords() : threads.snapshotRecords().flatMap(\.records)
    }
}

// MARK: - FailState

/// The fail-stop latch shared by the actor and the writer threads: set once by the first I/O error; from
/// then on nothing is acknowledged, the fatal handlers have run and change streams have ended.
final class FailState: Sendable {
    private let state = Mutex<StoreError?>(nil)
    let relay: FatalRelay
    let hub: ChangeHub
    let logger: Logger

    init(relay: FatalRelay, hub: ChangeHub, logger: Logger) {
        self.relay = relay
        self.hub = hub
        self.logger = logger
    }

    var error: StoreError? { state.withLock { $0 } }

    /// Enters the fail-stop state (once) and returns the `.stopped` error.
    @discardableResult
    func stop(_ cause: any Error) -> StoreError {
        let (stopped, first) = state.withLock { s -> (StoreError, Bool) in
            if let s { return (s, false) }
            let e = (cause as? StoreError).flatMap { $0.code == .stopped ? $0 : nil } ?? StoreError.stopped(cause)
            s = e
            return (e, true)
        }
        if first {
            logger.critical("store fail-stopped; no further writes are acknowledged", metadata: ["todo.error": "\(cause)"])
            relay.fire(stopped)
            hub.finish()
        }
        return stopped
    }
}

// MARK: - FatalRelay

/// Holds the fail-stop error and the handlers to call once it is set.
final class FatalRelay: Sendable {
    private struct State {
        var error: StoreError?
        var handlers: [@Sendable (StoreError) -> Void] = []
    }

    private let state = Mutex(State())

    func add(_ handler: @escaping @Sendable (StoreError) -> Void) {
        let existing = state.withLock { s -> StoreError? in
            if s.error == nil { s.handlers.append(handler) }
            return s.error
        }
        if let existing { handler(existing) }
    }

    func fire(_ error: StoreError) {
        let handlers = state.withLock { s -> [@Sendable (StoreError) -> Void] in
            guard s.error == nil else { return [] }
            s.error = error
            defer { s.handlers = [] }
            return s.handlers
        }
        for handler in handlers { handler(error) }
    }
}
