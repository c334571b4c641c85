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
        /// From when `poll` is asked, each tick, whether to expire the entry before its deadline.
        var pollFrom: ContinuousClock.Instant? = nil
        var poll: (@Sendable () -> Bool)? = nil
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

    /// Runs `operation` in its own task and returns its result, or nil as soon as `limit` has passed: then the
    /// operation is cancelled and left to end on its own, not awaited (for work that may not answer its
    /// cancellation, such as postgres-nio's wait for a pooled connection while the server is down). With
    /// `giveUp`, it also returns nil once `giveUpAfter` has passed and `giveUp()` holds (asked every tick).
    /// Cancelling the caller cancels the operation (and still waits for its result or the limit).
    public func abandoning<T: Sendable>(
        limit: Duration, giveUpAfter early: Duration = .zero, when giveUp: (@Sendable () -> Bool)? = nil,
        _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error>? {
        let started = ContinuousClock.now
        let race = Race()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (answer: CheckedContinuation<Result<T, any Error>?, Never>) in
                let id = add(deadline: started + limit, pollFrom: giveUp == nil ? nil : started + early, poll: giveUp) {
                    guard race.claim() else { return }
                    race.cancel()
                    answer.resume(returning: nil)
                }
                race.start(Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    guard race.claim() else { return }
                    self.remove(id)
                    answer.resume(returning: result)
                })
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// Who answers an `abandoning` caller first (the operation or the limit), and the operation's task.
    private final class Race: Sendable {
        private struct State {
            var claimed = false
            var cancelled = false
            var task: Task<Void, Never>?
        }

        private let state = Mutex(State())

        /// True for the first caller only.
        func claim() -> Bool {
            state.withLock { s in
                defer { s.claimed = true }
                return !s.claimed
            }
        }

        /// Keeps the operation's task (cancelling it at once when `cancel` came first).
        func start(_ task: Task<Void, Never>) {
            let cancelled = state.withLock { s -> Bool in
                s.task = task
                return s.cancelled
            }
            if cancelled { task.cancel() }
        }

        func cancel() {
            state.withLock { s -> Task<Void, Never>? in
                s.cancelled = true
                return s.task
            }?.cancel()
        }
    }

    /// How many limits are being watched (for tests).
    public var count: Int { state.withLock { $0.entries.count } }

    private func add(
        deadline: ContinuousClock.Instant, pollFrom: ContinuousClock.Instant? = nil, poll: (@Sendable () -> Bool)? = nil,
        expire: @escaping @Sendable () -> Void
    ) -> UInt64 {
        let (id, start, wake) = state.withLock { s -> (UInt64, Bool, CheckedContinuation<Void, Never>?) in
            s.nextID += 1
            s.entries[s.nextID] = Entry(deadline: deadline, pollFrom: pollFrom, poll: poll, expire: expire)
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

    /// The watcher: expires what is due (or what its poll gives up on), then sleeps one tick, or until an entry
    /// arrives when there is none.
    private func watch() async {
        while true {
            let now = ContinuousClock.now
            let (due, polls) = state.withLock { s -> ([@Sendable () -> Void], [(UInt64, @Sendable () -> Bool)]) in
                var due: [@Sendable () -> Void] = []
                var polls: [(UInt64, @Sendable () -> Bool)] = []
                for (id, entry) in s.entries {
                    if entry.deadline <= now {
                        due.append(entry.expire)
                        s.entries[id] = nil
                    } else if let from = entry.pollFrom, from <= now, let poll = entry.poll {
                        polls.append((id, poll))
                    }
                }
                return (due, polls)
            }
            for expire in due { expire() }
            // Polls run outside the lock; an entry removed meanwhile (its operation finished) is not expired.
            for (id, poll) in polls where poll() {
                state.withLock { $0.entries.removeValue(forKey: id) }?.expire()
            }
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
