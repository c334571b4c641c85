import Synchronization
import TodoCore
import TodoTools

// MARK: - ToolSessionPool

/// In-process MCP sessions, one per user, kept between turns (connecting costs an `initialize`
/// round trip). Each session's server is bound to its user when it is made, so a pooled session
/// can never act for anyone else. The least recently used session is closed beyond `capacity`.
final class ToolSessionPool: Sendable {
    private struct State {
        var sessions: [UserID: (session: InProcessToolSession, lastUsed: UInt64)] = [:]
        var tick: UInt64 = 0
    }

    private let repository: any TaskRepository
    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - repository: the task store every session's tools act on.
    ///   - capacity: sessions kept at most.
    init(repository: any TaskRepository, capacity: Int = 64) {
        self.repository = repository
        self.capacity = capacity
    }

    /// The session bound to `user`, connected on first use.
    /// - Parameter user: the turn's authenticated user.
    func session(for user: UserID) async throws -> InProcessToolSession {
        let existing = state.withLock { s -> InProcessToolSession? in
            s.tick += 1
            guard let entry = s.sessions[user] else { return nil }
            s.sessions[user] = (entry.session, s.tick)
            return entry.session
        }
        if let existing { return existing }
        let fresh = try await InProcessToolSession.connect(repository: repository, user: user)
        let (kept, evicted) = state.withLock { s -> (InProcessToolSession, [InProcessToolSession]) in
            s.tick += 1
            if let raced = s.sessions[user] { return (raced.session, [fresh]) }
            s.sessions[user] = (fresh, s.tick)
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
    /// - Parameter user: whose session.
    func discard(_ user: UserID) async {
        let removed = state.withLock { $0.sessions.removeValue(forKey: user)?.session }
        await removed?.close()
    }
}
