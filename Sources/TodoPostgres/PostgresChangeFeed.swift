import Logging
import PostgresNIO
import Synchronization
import TodoCore
import TodoStore

// MARK: - Change feed

/// What the listener has delivered: the newest change-log sequence number and the recent ones (a notification
/// and a catch-up read may both bring the same change; it is delivered once).
final class ChangeFeedState: Sendable {
    private struct State {
        var last: Int64 = 0
        var recent: Set<Int64> = []
        var connected = true
    }

    private let state = Mutex(State())

    /// Starts after `seq` (changes logged before this instance opened are history, not news).
    func start(after seq: Int64) { state.withLock { $0.last = seq } }

    /// Whether the listener holds a connection (false from the moment it loses the database until it is back).
    var isConnected: Bool {
        get { state.withLock { $0.connected } }
        set { state.withLock { $0.connected = newValue } }
    }

    /// The newest sequence number delivered.
    var last: Int64 { state.withLock { $0.last } }

    /// Marks `seq` delivered; false when it already was (or predates the start).
    func claim(_ seq: Int64) -> Bool {
        state.withLock { s in
            guard !s.recent.contains(seq), s.recent.isEmpty ? seq > s.last : true else { return false }
            s.recent.insert(seq)
            s.last = max(s.last, seq)
            if s.recent.count > 20_000 {
                let floor = s.last - 10_000
                s.recent = s.recent.filter { $0 > floor }
            }
            return true
        }
    }
}

extension PostgresStore {
    /// The NOTIFY channel.
    static let changeChannel = "todod_changes"

    /// Listens on a dedicated pooled connection until the store closes. Each notification names a change-log row,
    /// which is read and published. After (re)connecting it first reads what was logged since the last change it
    /// delivered, so a dropped connection loses nothing the log still holds (an hour).
    func runListener() async {
        var backoff: Duration = .milliseconds(250)
        var attempt = 0
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        if attempt > 0 { self.logger.info("change listener reconnected") }
                        self.feed.isConnected = true
                        backoff = .milliseconds(250)
                        try await self.catchUp()
                        for try await notification in notifications {
                            guard let seq = Int64(notification.payload) else { continue }
                            try await self.deliver(seq: seq)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("change listener lost the database; reconnecting", metadata: ["todo.error": "\(PostgresFailure.reason(error))"])
            }
            feed.isConnected = false
            attempt += 1
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(1))
        }
    }

    /// Publishes the changes logged after the newest one delivered, then trims the log to its last hour.
    func catchUp() async throws {
        let after = feed.last
        let logger = self.logger
        let changes = try await transaction(nil) { connection in
            var out: [(Int64, TaskChange)] = []
            let rows = try await connection.query(
                "SELECT seq, user_id, kind, task::text FROM todod_change_log WHERE seq > \(after) ORDER BY seq LIMIT 10000", logger: logger)
            for try await (seq, user, kind, task) in rows.decode((Int64, String, String, String).self) {
                if let change = try? Self.change(user: user, kind: kind, task: task) { out.append((seq, change)) }
            }
            try await connection.query("DELETE FROM todod_change_log WHERE logged_at < now() - interval '1 hour'", logger: logger)
            return out
        }
        hub.publish(changes.filter { feed.claim($0.0) }.map(\.1))
    }

    /// Reads one change-log row and publishes it.
    func deliver(seq: Int64) async throws {
        guard feed.claim(seq) else { return }
        let logger = self.logger
        let change = try await transaction(nil) { connection in
            let rows = try await connection.query(
                "SELECT user_id, kind, task::text FROM todod_change_log WHERE seq = \(seq)", logger: logger)
            for try await (user, kind, task) in rows.decode((String, String, String).self) {
                return try? Self.change(user: user, kind: kind, task: task)
            }
            return nil
        }
        if let change { hub.publish([change]) }
    }

    static func change(user: String, kind: String, task: String) throws -> TaskChange? {
        guard let kind = TaskChange.Kind(rawValue: kind) else { return nil }
        return TaskChange(kind: kind, user: try UserID(user), task: try TaskJSON.decode(task))
    }
}
