import Logging
import PostgresNIO
import Synchronization
import TodoCore
import TodoStore

// MARK: - Change feed

/// What the listener has delivered: the recent change-log sequence numbers (a notification and a catch-up read may
/// both bring the same change; it is delivered once) and a floor below which everything counts as delivered.
final class ChangeFeedState: Sendable {
    private struct State {
        var floor: Int64 = 0
        var last: Int64 = 0
        var recent: Set<Int64> = []
        var connected = true

        /// Whether `seq` counts as delivered: below the floor, or among the recent ones.
        func has(_ seq: Int64) -> Bool { seq <= floor || recent.contains(seq) }
    }

    private let state = Mutex(State())

    /// Starts after `seq` (changes logged before this instance opened are history, not news).
    func start(after seq: Int64) { state.withLock { $0.floor = seq; $0.last = seq } }

    /// Whether the listener holds a connection (false from the moment it loses the database until it is back).
    var isConnected: Bool {
        get { state.withLock { $0.connected } }
        set { state.withLock { $0.connected = newValue } }
    }

    /// The newest sequence number delivered.
    var last: Int64 { state.withLock { $0.last } }

    /// Whether `seq` was delivered already (or lies below the floor), without marking it.
    func delivered(_ seq: Int64) -> Bool {
        state.withLock { $0.has(seq) }
    }

    /// Marks `seq` delivered; false when it already was (or lies below the floor).
    func claim(_ seq: Int64) -> Bool {
        state.withLock { s in
            guard !s.has(seq) else { return false }
            s.recent.insert(seq)
            s.last = max(s.last, seq)
            if s.recent.count > 20_000 {
                s.floor = max(s.floor, s.last - 10_000)
                s.recent = s.recent.filter { $0 > s.floor }
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
        var lostAt: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                // A dedicated connection, not a pooled one: connecting fails fast while the server is down, where a
                // pool lease would wait without end.
                let connection = try await PostgresConnection.connect(
                    configuration: try configuration.probeConfiguration(), id: 1, logger: logger)
                defer { Task { try? await connection.close() } }
                try await withTaskCancellationHandler {
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        if attempt > 0 { self.logger.info("change listener reconnected") }
                        self.feed.isConnected = true
                        backoff = .milliseconds(250)
                        try await self.catchUp(offline: lostAt.map { ContinuousClock.now - $0 } ?? .zero)
                        lostAt = nil
                        for try await notification in notifications {
                            guard let seq = Int64(notification.payload) else { continue }
                            try await self.deliver(seq: seq)
                        }
                    }
                } onCancel: {
                    connection.close()
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("change listener lost the database; reconnecting", metadata: ["todo.error": "\(PostgresFailure.reason(error))"])
            }
            feed.isConnected = false
            if lostAt == nil { lostAt = ContinuousClock.now }
            attempt += 1
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(1))
        }
    }

    /// Publishes what was logged while the listener was away: everything after the newest change delivered, and
    /// anything in the window before it not delivered yet (a transaction that took a sequence number earlier may
    /// commit later). Then trims the log to its last hour. When more was missed than the log can replay (an outage
    /// longer than the log keeps, or more than `catchUpLimit` changes), every subscriber is told to re-read.
    func catchUp(offline: Duration) async throws {
        let after = max(0, feed.last - Self.catchUpWindow)
        let (logger, limit) = (self.logger, Self.catchUpLimit)
        let changes = try await transaction(nil) { connection in
            var out: [(Int64, TaskChange)] = []
            let rows = try await connection.query(
                "SELECT seq, user_id, kind, task::text FROM todod_change_log WHERE seq > \(after) ORDER BY seq LIMIT \(limit)", logger: logger)
            for try await (seq, user, kind, task) in rows.decode((Int64, String, String, String).self) {
                if let change = try? Self.change(user: user, kind: kind, task: task) { out.append((seq, change)) }
            }
            try await connection.query("DELETE FROM todod_change_log WHERE logged_at < now() - interval '1 hour'", logger: logger)
            return out
        }
        hub.publish(changes.filter { feed.claim($0.0) }.map(\.1))
        if changes.count >= Self.catchUpLimit || offline >= Self.logRetention {
            logger.warning("change listener missed more than the change log replays; subscribers are told to re-read")
            hub.resync()
        }
    }

    /// How far back a catch-up looks for late commits, in sequence numbers.
    static let catchUpWindow: Int64 = 1000
    /// The most changes one catch-up replays.
    static let catchUpLimit = 10_000
    /// How long the change log keeps entries (the trim in `catchUp`).
    static let logRetention: Duration = .seconds(3600)

    /// Reads one change-log row and publishes it. The sequence number is marked delivered only once the row was
    /// read: when the read fails, the listener reconnects and its catch-up, which starts below every number not yet
    /// delivered, brings the change instead of skipping it.
    func deliver(seq: Int64) async throws {
        guard !feed.delivered(seq) else { return }
        let logger = self.logger
        let change = try await transaction(nil) { connection in
            let rows = try await connection.query(
                "SELECT user_id, kind, task::text FROM todod_change_log WHERE seq = \(seq)", logger: logger)
            for try await (user, kind, task) in rows.decode((String, String, String).self) {
                return try? Self.change(user: user, kind: kind, task: task)
            }
            return nil
        }
        if feed.claim(seq), let change { hub.publish([change]) }
    }

    static func change(user: String, kind: String, task: String) throws -> TaskChange? {
        guard let kind = TaskChange.Kind(rawValue: kind) else { return nil }
        return TaskChange(kind: kind, user: try UserID(user), task: try TaskJSON.decode(task))
    }
}
