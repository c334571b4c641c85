import Synchronization
public import TodoCore

// MARK: - ChangeHub

/// Fans durable task changes out to `AsyncStream` subscribers; a subscriber is removed when its stream ends.
/// Both stores use it (the PostgreSQL store feeds it from LISTEN).
public final class ChangeHub: Sendable {
    private struct Subscriber {
        let user: UserID?
        let continuation: AsyncStream<TaskChange>.Continuation
    }

    private struct State {
        var nextID = 0
        var subscribers: [Int: Subscriber] = [:]
        var finished = false
    }

    private let state = Mutex(State())

    /// An empty hub.
    public init() {}

    /// A new subscription.
    /// - Parameter user: only this user's changes, or all when nil.
    public func subscribe(_ user: UserID?) -> AsyncStream<TaskChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: TaskChange.self, bufferingPolicy: .bufferingNewest(1024))
        let id: Int? = state.withLock { s in
            guard !s.finished else { return nil }
            defer { s.nextID += 1 }
            s.subscribers[s.nextID] = Subscriber(user: user, continuation: continuation)
            return s.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Delivers changes that are already durable.
    public func publish(_ changes: [TaskChange]) {
        guard !changes.isEmpty else { return }
        let subs = state.withLock { Array($0.subscribers.values) }
        for change in changes {
            for sub in subs where sub.user == nil || sub.user == change.user {
                sub.continuation.yield(change)
            }
        }
    }

    /// Ends every current stream but keeps the hub open: subscribers missed changes (the PostgreSQL listener lost
    /// more than its log replays) and must re-read what they show, then subscribe again.
    public func resync() {
        let subs = state.withLock { s -> [Subscriber] in
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for sub in subs { sub.continuation.finish() }
    }

    /// Ends every stream; later subscriptions end at once.
    public func finish() {
        let subs = state.withLock { s -> [Subscriber] in
            s.finished = true
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for sub in subs { sub.continuation.finish() }
    }

    /// Whether anyone is subscribed (a writer skips gathering changes for nobody).
    var hasSubscribers: Bool { state.withLock { !$0.subscribers.isEmpty } }

    /// Number of live subscriptions (for tests).
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
}
