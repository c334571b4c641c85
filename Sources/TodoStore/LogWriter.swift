#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import TodoCore

// MARK: - LogWriter

/// One append-only data file and its group commit, run on an I/O thread: the loop takes everything queued
/// (or one entry without group commit), writes it with one `write` + one `fdatasync`, resumes the writers
/// straight from the I/O thread, publishes their changes, and takes the next batch at once — the actor is
/// not on the path between two fdatasyncs, and no record costs a thread hop of its own. Batches grow with
/// contention: after acknowledging N writers the loop blocks (without spinning) until N appends are queued
/// again or a fraction of the last fdatasync's duration has passed, so the next fdatasync carries them all.
/// Rewrites (compaction) pause the loop; see `Store.rewrite`.
final class LogWriter: Sendable {
    struct State {
        var pending: [PendingWrite] = []
        var running = false
        var paused = false
        var handle: StorageFile?
        var existsOnDisk: Bool
        var needsHeader: Bool
        var size: Int
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// While the loop gathers a batch: the queue length that wakes it (0: not gathering).
        var gatherTarget = 0
        /// Whether an append signalled `gathered` for the current gather.
        var gatherSignalled = false
    }

    let kind: FileKind
    let path: String
    let directory: String
    let context: WriterContext
    let directoryDurable: SharedFlag
    let state: Mutex<State>
    /// Wakes the loop when a gather's target is reached.
    let gathered = DispatchSemaphore(value: 0)

    init(kind: FileKind, directory: String, existsOnDisk: Bool, size: Int, directoryDurable: SharedFlag, context: WriterContext) {
        self.kind = kind
        self.path = joinPath(directory, kind.fileName)
        self.directory = directory
        self.context = context
        self.directoryDurable = directoryDurable
        self.state = Mutex(State(existsOnDisk: existsOnDisk, needsHeader: size == 0, size: size))
    }

    var size: Int { state.withLock { $0.size } }
    var existsOnDisk: Bool { state.withLock { $0.existsOnDisk } }
    var isBusy: Bool { state.withLock { $0.running || !$0.pending.isEmpty } }

    // MARK: Appending

    /// Queues an append (or, with no records, a barrier) and starts the loop when it is idle.
    func enqueue(_ entry: PendingWrite) {
        if let error = context.fail.error {
            entry.waiter?.resume(throwing: error)
            return
        }
        let (start, wake) = state.withLock { s -> (Bool, Bool) in
            s.pending.append(entry)
            var wake = false
            if s.gatherTarget > 0, s.pending.count >= s.gatherTarget {
                s.gatherTarget = 0
                s.gatherSignalled = true
                wake = true
            }
            guard !s.running, !s.paused else { return (false, wake) }
            s.running = true
            return (true, wake)
        }
        if wake { gathered.signal() }
        if start { context.queue.async { self.loop() } }
    }

    private func loop() {
        var lastSync: Duration = .zero
        while true {
            let failure = context.fail.error
            var idle: [CheckedContinuation<Void, Never>] = []
            var failed: [PendingWrite] = []
            // Taking a batch and going idle happen under one lock, so an append that arrives meanwhile
            // either is taken or sees `running == false` and restarts the loop.
            let next = state.withLock { s -> (batch: [PendingWrite], header: Bool, handle: StorageFile?, exists: Bool)? in
                if failure == nil, !s.paused, !s.pending.isEmpty {
                    var batch: [PendingWrite]
                    if !context.groupCommit, let first = s.pending.firstIndex(where: \.isAppend), first + 1 < s.pending.count {
                        batch = Array(s.pending[0...first])
                        s.pending.removeFirst(first + 1)
                    } else {
                        batch = []
                        swap(&batch, &s.pending)
                    }
                    let header = s.needsHeader && batch.contains(where: \.isAppend)
                    return (batch, header, s.handle, s.existsOnDisk)
                }
                if failure != nil {
                    failed = s.pending
                    s.pending = []
                }
                s.running = false
                idle = s.idleWaiters
                s.idleWaiters = []
                return nil
            }
            guard let next else {
                if let failure { failed.forEach { $0.waiter?.resume(throwing: failure) } }
                idle.forEach { $0.resume() }
                return
            }
            // The batch's bytes are joined outside the lock (appenders are not held up meanwhile); records
            // their writers have not encoded yet are encoded here.
            let parts = next.batch.map(\.records.bytes)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(parts.reduce(next.header ? 64 : 0) { $0 + $1.count })
            if next.header { bytes = RecordCodec.encode(.header(kind: kind.rawValue, version: storeFormatVersion)) }
            for part in parts { bytes += part }
            do {
                let started = ContinuousClock.now
                var syncNanoseconds: Int64 = 0
                let handle = try append(bytes, handle: next.handle, existsOnDisk: next.exists, syncNanoseconds: &syncNanoseconds)
                if !bytes.isEmpty { lastSync = ContinuousClock.now - started }
                state.withLock { s in
                    s.handle = handle
                    if handle != nil { s.existsOnDisk = true }
                    if !bytes.isEmpty {
                        s.size += bytes.count
                        s.needsHeader = false
                    }
                }
                if let failure = context.fail.error {
                    next.batch.forEach { $0.waiter?.resume(throwing: failure) }
                    continue
                }
                acknowledge(next.batch, synced: !bytes.isEmpty)
                // The one point per batch where it is durable: records, bytes and the fdatasync time.
                if !bytes.isEmpty {
                    context.metrics.batchDurable(
                        records: next.batch.count(where: \.isAppend), bytes: bytes.count, syncNanoseconds: syncNanoseconds)
                }
                gather(after: next.batch.count, lastSync: lastSync)
            } catch {
                let stopped = context.fail.stop(error)
                next.batch.forEach { $0.waiter?.resume(throwing: stopped) }
            }
        }
    }

    /// After acknowledging a batch of `count` writers, waits (blocked, not spinning) until `count` appends
    /// are queued again or `lastSync / 2` has passed (at least 50 µs, at most 2 ms), so the next fdatasync
    /// carries everyone who is coming back instead of alternating between a few stragglers and the rest.
    private func gather(after count: Int, lastSync: Duration) {
        guard context.groupCommit, count > 1 else { return }
        let waiting = state.withLock { s -> Bool in
            guard !s.paused, s.pending.count < count else { return false }
            s.gatherTarget = count
            s.gatherSignalled = false
            return true
        }
        guard waiting else { return }
        let bound = min(max(lastSync / 2, .microseconds(50)), .milliseconds(2))
        let nanoseconds = bound.components.seconds * 1_000_000_000 + bound.components.attoseconds / 1_000_000_000
        let result = gathered.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
        let owed = state.withLock { s -> Bool in
            s.gatherTarget = 0
            defer { s.gatherSignalled = false }
            return result == .timedOut && s.gatherSignalled
        }
        // An append signalled after the timeout: take that signal so the next gather does not wake early.
        if owed { gathered.wait() }
    }

    /// Resumes durable writers, counts them and publishes their changes.
    func acknowledge(_ batch: [PendingWrite], synced: Bool) {
        let appends = batch.count(where: \.isAppend)
        if synced { context.counters.add(appends: appends) }
        batch.forEach { $0.waiter?.resume() }
        if context.hub.hasSubscribers { context.hub.publish(batch.flatMap(\.changes)) }
    }

    /// One write + fdatasync; creates the user directory and the file (syncing their parents) first if needed.
    private func append(_ bytes: [UInt8], handle: StorageFile?, existsOnDisk: Bool, syncNanoseconds: inout Int64) throws -> StorageFile? {
        guard !bytes.isEmpty else { return handle }
        let backend = context.backend
        if !directoryDurable.value {
            try backend.createDirectory(directory)
            try backend.fsyncDirectory(parentDirectory(directory))
            directoryDurable.set()
        }
        let file = try handle ?? backend.open(path, mode: .append)
        try backend.write(file, bytes)
        let syncStart = ContinuousClock.now
        try backend.fdatasync(file)
        let synced = ContinuousClock.now - syncStart
        syncNanoseconds = synced.components.seconds * 1_000_000_000 + synced.components.attoseconds / 1_000_000_000
        if !existsOnDisk { try backend.fsyncDirectory(directory) }
        return file
    }

    // MARK: Pausing (for rewrites) and draining

    /// Stops the loop after its current batch and waits until it has.
    func pause() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { s -> Bool in
                s.paused = true
                if s.running { s.idleWaiters.append(done); return false }
                return true
            }
            if idle { done.resume() }
        }
    }

    /// Lets the loop run again (restarting it when appends queued up meanwhile).
    func unpause() {
        let start = state.withLock { s -> Bool in
            s.paused = false
            guard !s.running, !s.pending.isEmpty else { return false }
            s.running = true
            return true
        }
        if start { context.queue.async { self.loop() } }
    }

    /// Removes and returns everything queued (a paused writer's appends, which a rewrite covers).
    func takePending() -> [PendingWrite] {
        state.withLock { s in
            defer { s.pending = [] }
            return s.pending
        }
    }

    /// The current append descriptor.
    var handle: StorageFile? { state.withLock { $0.handle } }

    /// Switches to the descriptor of a freshly renamed rewrite.
    func installRewrite(handle: StorageFile, size: Int) {
        state.withLock { s in
            s.handle = handle
            s.existsOnDisk = true
            s.needsHeader = false
            s.size = size
        }
    }

    /// Takes the descriptor away for closing.
    func takeHandle() -> StorageFile? {
        state.withLock { s in
            defer { s.handle = nil }
            return s.handle
        }
    }

    /// Waits until the loop is not running (nothing queued, or paused, or failed).
    func waitIdle() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { s -> Bool in
                if s.running { s.idleWaiters.append(done); return false }
                return true
            }
            if idle { done.resume() }
        }
    }
}

/// What every writer of a store shares.
struct WriterContext: Sendable {
    let backend: any StorageBackend
    let queue: DispatchQueue
    let groupCommit: Bool
    let fail: FailState
    let hub: ChangeHub
    let counters: CommitCounters
    /// The daemon's store instruments (`.disabled` unless the daemon passed its own).
    let metrics: StoreMetrics
}

/// A Boolean shared between threads (for example "the user directory is durable").
final class SharedFlag: Sendable {
    private let state: Mutex<Bool>
    init(_ value: Bool) { state = Mutex(value) }
    var value: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}

/// Acknowledged appends and the write + fdatasync batches that carried them.
final class CommitCounters: Sendable {
    private let state = Mutex((appends: 0, syncs: 0))
    func add(appends: Int) { state.withLock { $0.appends += appends; $0.syncs += 1 } }
    var value: (appends: Int, syncs: Int) { state.withLock { $0 } }
}
