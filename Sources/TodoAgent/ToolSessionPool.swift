import Foundation
import Synchronization
import TodoCore
import TodoTools

// MARK: - ToolSessionPool

/// In-process MCP sessions, one per user and zone, kept between turns (connecting costs an `initialize`
/// round trip). Each session's server is bound to its user and zone when it is made, so a pooled session
/// can never act for anyone else, and reads dates in words in that user's zone with the daemon's clock.
/// The least recently used session is closed beyond `capacity`.
final class ToolSessionPool: Sendable {
    /// A session's binding.
    struct Key: Hashable, Sendable {
        var user: UserID
        var zone: String
    }

    private struct State {
        var sessions: [Key: (session: InProcessToolSession, lastUsed: UInt64)] = [:]
        var tick: UInt64 = 0
    }

    private let repository: any TaskRepository
    private let clock: any WallClock
    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - repository: the task store every session's tools act on.
    ///   - clock: the daemon's clock ("now" for dates in words).
    ///   - capacity: sessions kept at most.
    init(repository: any TaskRepository, clock: any WallClock, capacity: Int = 64) {
        self.repository = repository
        self.clock = clock
        self.capacity = capacity
    }

    /// The session bound to `user` in `zone`, connected on first use.
    /// - Parameters:
    ///   - user: the turn's authenticated user.
    ///   - zone: the user's zone for the turn.
    func session(for user: UserID, zone: TimeZone) async throws -> InProcessToolSession {
        let key = Key(user: user, zone: zone.identifier)
        let existing = state.withLock { s -> InProcessToolSession? in
            s.tick += 1
            guard let entry = s.sessions[key] else { return nil }
            s.sessions[key] = (entry.session, s.tick)
            return entry.session
        }
        if let existing { return existing }
        let clock = self.clock
        let fresh = try await InProcessToolSession.connect(repository: repository, user: user,
                                                           context: { DateContext(now: clock.now(), zone: zone) })
        let (kept, evicted) = state.withLock { s -> (InProcessToolSession, [InProcessToolSession]) in
            s.tick += 1
            if let raced = s.sessions[key] { return (raced.session, [fresh]) }
            s.sessions[key] = (fresh, s.tick)
            var evicted: [InProcessToolSession] = []
            while s.sessions.count > capacity, let oldest = s.sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                s.sessions[oldest.key] = nil
                evicted.append(oldest.value.session)
            }
            return (fresh, evicted)
        }
        for session in evicted { await session.close() }
        return kept
    }

    /// Drops a session that failed, so the next turn connects afresh.
    /// - Parameters:
    ///   - user: whose session.
    ///   - zone: its zone.
    func discard(_ user: UserID, zone: TimeZone) async {
        let removed = state.withLock { $0.sessions.removeValue(forKey: Key(user: user, zone: zone.identifier))?.session }
        await removed?.close()
    }
}
