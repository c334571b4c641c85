import Synchronization

// MARK: - Deadlines

/// Time limits for many concurrent operations (chat turns, model calls), kept by one watcher task instead of a
/// sleeping task per operation.
///
/// A limit written as a task group racing the work against `Task.sleep` costs each operation a second task and
/// a Dispatch timer, and a cancelled `Task.sleep` leaves its timer armed until the time it named: a 300 s
/// turn limit kept about 1,500 timers per second of load alive for five minutes, and every new timer woke
/// Dispatch's timer thread (with two such limits per chat turn, about 5% of a turn's CPU). Here an operation
/// costs one entry in a locked table; the watcher looks at the table every `tick` while it holds anything and
/// sleeps without a timer while it is empty. A limit is therefore kept to within one tick.
public final class Deadlines: Sendable {
    /// The process's watcher (50 ms tick).
    public static let shared = Deadlines(tick: .milliseconds(50))

    private struct Entry {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var watching = false
        var idle: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let tick: Duration

    /// - Parameter tick: how often the watcher looks for expired entries while it holds any.
    public init(tick: Duration) {
        self.tick = tick
    }

    /// Runs `operation` in its own task, cancelled when `limit` has passed (or when the caller is cancelled).
    /// - Parameters:
    ///   - limit: how long the operation may run.
    ///   - onExpiry: called once, just before the cancellation, when the limit cut the operation.
    ///   - operation: the work; it ends soon after it is cancelled, as any cancellable work does.
    /// - Returns: what the operation returned, and whether the limit had passed (and cancelled it) first.
    public func run<T: Sendable>(
        limit: Duration, onExpiry: @escaping @Sendable () -> Void = {}, _ operation: @escaping @Sendable () async -> T
    ) async -> (value: T, expired: Bool) {
        let task = Task { await operation() }
        let expired = Expired()
        let id = add(deadline: .now + limit) {
            expired.flag.store(true, ordering: .sequentiallyConsistent)
            onExpiry()
            task.cancel()
        }
        let value = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        remove(id)
        return (value, expired.flag.load(ordering: .sequentiallyConsistent))
    }

    private final class Expired: Sendable {
        let flag = Atomic<Bool>(false)
    }

    /// How many limits are being watched (for tests).
    public var count: Int { state.withLock { $0.entries.count } }

    private func add(deadline: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, start, wake) = state.withLock { s -> (UInt64, Bool, CheckedContinuation<Void, Never>?) in
            s.nextID += 1
            s.entries[s.nextID] = Entry(deadline: deadline, expire: expire)
            let start = !s.watching
            s.watching = true
            defer { s.idle = nil }
            return (s.nextID, start, s.idle)
        }
        wake?.resume()
        if start { Task.detached(priority: .high) { await self.watch() } }
        return id
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// The watcher: expires what is due, then sleeps one tick, or until an entry arrives when there is none.
    private func watch() async {
        while true {
            let now = ContinuousClock.now
            let due = state.withLock { s -> [@Sendable () -> Void] in
                var due: [@Sendable () -> Void] = []
                for (id, entry) in s.entries where entry.deadline <= now {
                    due.append(entry.expire)
                    s.entries[id] = nil
                }
                return due
            }
            for expire in due { expire() }
            await withCheckedContinuation { (next: CheckedContinuation<Void, Never>) in
                let empty = state.withLock { s -> Bool in
                    guard s.entries.isEmpty else { return false }
                    s.idle = next
                    return true
                }
                if !empty { next.resume() }
            }
            try? await Task.sleep(for: tick)
        }
    }
}
