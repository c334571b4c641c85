import TodoCore
import Synchronization

// MARK: - TurnLimiter

/// Per-user chat limits: turns per sliding minute and concurrent streams (a lock, not an actor, so a
/// finished stream frees its slot before the next request can arrive).
final class TurnLimiter: Sendable {
    private struct State { var recent: [UserID: [Int64]] = [:]; var running: [UserID: Int] = [:] }
    private let perMinute: Int
    private let maxConcurrent: Int
    private let clock: any WallClock
    private let state = Mutex(State())

    /// - Parameters:
    ///   - perMinute: turns per minute (0 = unlimited).
    ///   - maxConcurrent: concurrent turns (0 = unlimited).
    ///   - clock: the time source.
    init(perMinute: Int, maxConcurrent: Int, clock: any WallClock) {
        self.perMinute = perMinute
        self.maxConcurrent = maxConcurrent
        self.clock = clock
    }

    /// Admits one turn for `user` or throws 429 with `Retry-After`.
    /// Every successful call must be paired with `release(_:)`.
    func acquire(_ user: UserID) throws {
        let now = clock.now().millisecondsSinceEpoch
        try state.withLock { try admit(user, now: now, recent: &$0.recent, running: &$0.running) }
    }

    private func admit(_ user: UserID, now: Int64, recent: inout [UserID: [Int64]], running: inout [UserID: Int]) throws {
        if maxConcurrent > 0, running[user, default: 0] >= maxConcurrent {
            throw HTTPAPIError.tooManyRequests("at most \(maxConcurrent) chat streams at a time", retryAfter: 1)
        }
        if perMinute > 0 {
            var times = recent[user, default: []].filter { $0 > now - 60_000 }
            if times.count >= perMinute {
                let retry = Int((times[0] + 60_000 - now + 999) / 1000)
                recent[user] = times
                throw HTTPAPIError.tooManyRequests("at most \(perMinute) chat turns per minute", retryAfter: retry)
            }
            times.append(now)
            recent[user] = times
        }
        running[user, default: 0] += 1
    }

    /// Ends one admitted turn.
    func release(_ user: UserID) {
        state.withLock {
            let n = $0.running[user, default: 1] - 1
            $0.running[user] = n > 0 ? n : nil
        }
    }
}

// MARK: - TurnPermit

/// One admitted turn. Released explicitly when the stream ends, or at deinit when the stream never ran
/// (for example the client vanished before the response body started), so slots never leak.
final class TurnPermit: Sendable {
    private let limiter: TurnLimiter
    private let user: UserID
    private let released = Atomic<Bool>(false)

    init(limiter: TurnLimiter, user: UserID) {
        self.limiter = limiter
        self.user = user
    }

    /// Frees the slot (idempotent).
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        limiter.release(user)
    }

    deinit { release() }
}
