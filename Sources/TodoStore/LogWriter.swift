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
/// not on the path between two fdatasyncs. Rewrites (compaction) pause the loop; see `Store.rewrite`.
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
    }

    let kind: FileKind
    let path: String
    let directory: String
    let context: WriterContext
    let directoryDurable: SharedFlag
    let state: Mutex<State>

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

    /// Queues an append (or, with empty bytes, a barrier) and starts the loop when it is idle.
    func enqueue(_ entry: PendingWrite) {
        if let error = context.fail.error {
            entry.waiter?.resume(throwing: error)
            return
        }
        let start = state.withLock { s -> Bool in
            s.pending.append(entry)
            guard !s.running, !s.paused else { return false }
            s.running = true
            return true
        }
        if start { context.queue.async { self.loop() } }
    }

    private func loop() {
        while true {
            let failure = context.fail.error
            var idle: [CheckedContinuation<Void, Never>] = []
            var failed: [PendingWrite] = []
            // Taking a batch and going idle happen under one lock, so an append that arrives meanwhile
            // either is taken or sees `running == false` and restarts the loop.
            let next = state.withLock { s -> (batch: [PendingWrite], bytes: [UInt8], handle: StorageFile?, exists: Bool)? in
                if failure == nil, !s.paused, !s.pending.isEmpty {
                    var take = s.pending.count
                    if !context.groupCommit, let first = s.pending.firstIndex(where: { !$0.bytes.isEmpty }) { take = first + 1 }
                    let batch = Array(s.pending[0..<take])
                    s.pending.removeFirst(take)
                    var bytes: [UInt8] = []
                    if s.needsHeader && batch.contains(where: { !$0.bytes.isEmpty }) {
                        bytes = RecordCodec.encode(.header(kind: kind.rawValue, version: storeFormatVersion))
                    }
                    for entry in batch { bytes += entry.bytes }
                    return (batch, bytes, s.handle, s.existsOnDisk)
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
            do {
                var syncNanoseconds: Int64 = 0
                let handle = try append(next.bytes, handle: next.handle, existsOnDisk: next.exists, syncNanoseconds: &syncNanoseconds)
                state.withLock { s in
                    s.handle = handle
                    if handle != nil { s.existsOnDisk = true }
                    if !next.bytes.isEmpty {
                        s.size += next.bytes.count
                        s.needsHeader = false
                    }
                }
                if let failure = context.fail.error {
                    next.batch.forEach { $0.waiter?.resume(throwing: failure) }
                    continue
                }
                acknowledge(next.batch, synced: !next.bytes.isEmpty)
                if !next.bytes.isEmpty {
                    context.metrics.batchDurable(
                        records: next.batch.count { !$0.bytes.isEmpty }, bytes: next.bytes.count, syncNanoseconds: syncNanoseconds)
                }
                gather(after: next.batch.count)
            } catch {
                let stopped = context.fail.stop(error)
                next.batch.forEach { $0.waiter?.resume(throwing: stopped) }
            }
        }
    }

    /// After acknowledging a batch of `count` writers, gives them a moment (at most ~50 µs, yielding the
    /// CPU) to queue their next appends, so the next fdatasync carries them all instead of alternating
    /// between a lone straggler and everyone else.
    private func gather(after count: Int) {
        guard context.groupCommit, count > 1 else { return }
        let deadline = ContinuousClock.now.advanced(by: .microseconds(50))
        while state.withLock({ $0.pending.count }) < count / 2 && ContinuousClock.now < deadline {
            sched_yield()
        }
    }

    /// Resumes durable writers, counts them and publishes their changes.
    func acknowledge(_ batch: [PendingWrite], synced: Bool) {
        let appends = batch.count { !$0.bytes.isEmpty }
        if synced { context.counters.add(appends: appends) }
        batch.forEach { $0.waiter?.resume() }
        context.hub.publish(batch.flatMap(\.changes))
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
