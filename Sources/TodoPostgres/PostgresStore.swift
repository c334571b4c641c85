public import Foundation
public import Logging
import PostgresNIO
import Synchronization
public import TodoCore
public import TodoStore

// MARK: - PostgresStore

/// The repositories on PostgreSQL: the same contracts as the file store (`Store`), for several todod instances
/// on one database. Every change is one transaction, acknowledged only after it commits. Adds race only on their
/// request id's key, updates and deletes lock their row, and undo and import take a per-user advisory lock, so the
/// results match the file store's (which serializes a user's writes in one process) while adds run in parallel. Row-level security keeps every statement to the transaction's user (`todod.user`, set with
/// `set_config(…, true)`, never a session-level `SET` on a pooled connection). Changes reach every instance's
/// `changes(for:)` through `todod_change_log` and LISTEN/NOTIFY.
///
/// When the database is unreachable a call fails within `requestTimeout` with `TodoError.unavailable`; the pool
/// and the listener reconnect by themselves.
public final class PostgresStore: DataStore, SessionRepository {
    let client: PostgresClient
    let configuration: PostgresStoreConfiguration
    let clock: any WallClock
    let timeZone: TimeZone
    let logger: Logger
    let hub = ChangeHub()
    let feed: ChangeFeedState
    private let tasks = Mutex<(run: Task<Void, Never>?, listen: Task<Void, Never>?, closed: Bool)>((nil, nil, false))

    private init(client: PostgresClient, configuration: PostgresStoreConfiguration, clock: any WallClock, timeZone: TimeZone, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.timeZone = timeZone
        self.logger = logger
        self.feed = ChangeFeedState()
    }

    /// Connects, applies the embedded migrations under an advisory lock and starts listening for changes.
    /// - Parameters:
    ///   - configuration: the parsed database URL.
    ///   - clock: the source of timestamps.
    ///   - timeZone: the zone recurring all-day tasks without one of their own complete in.
    ///   - logger: where connection trouble and migrations are logged.
    /// - Throws: `PostgresStoreError` (`isTransient` when the server is unreachable and a retry may work).
    public static func open(
        configuration: PostgresStoreConfiguration, clock: any WallClock = SystemWallClock(), timeZone: TimeZone = .current, logger: Logger
    ) async throws -> PostgresStore {
        do {
            let probe = try await PostgresConnection.connect(configuration: try configuration.probeConfiguration(), id: 0, logger: logger)
            try? await probe.close()
        } catch {
            throw PostgresFailure.opening(error, url: configuration.redactedURL)
        }
        let client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
        let store = PostgresStore(client: client, configuration: configuration, clock: clock, timeZone: timeZone, logger: logger)
        store.tasks.withLock { $0.run = Task { await client.run() } }
        do {
            let applied = try await withDeadline(configuration.connectTimeout + configuration.requestTimeout) {
                try await PostgresSchema.migrate(client, binaryVersion: "todod", logger: logger)
            }
            if !applied.isEmpty { logger.info("database schema migrated", metadata: ["todo.db.versions": "\(applied)"]) }
            let last = try await store.transaction(nil) { connection in
                try await Self.single(connection.query("SELECT coalesce(max(seq), 0)::bigint FROM todod_change_log", logger: logger), Int64.self) ?? 0
            }
            store.feed.start(after: last)
        } catch {
            await store.close()
            throw PostgresFailure.opening(error, url: configuration.redactedURL)
        }
        store.tasks.withLock { $0.listen = Task { await store.runListener() } }
        logger.info("database opened", metadata: ["todo.db": "\(configuration.redactedURL)", "todo.db.schema": "\(PostgresSchema.latestVersion)"])
        return store
    }

    /// The database URL without its password.
    public var location: String { configuration.redactedURL }

    /// PostgreSQL never fail-stops todod: failures are per request (`TodoError.unavailable`).
    public var failure: StoreError? { nil }

    /// Never called: the PostgreSQL store has no fatal state of its own.
    public func onFatalFailure(_ handler: @escaping @Sendable (StoreError) -> Void) {}

    /// Stops the listener, ends change streams and closes the pool. Later calls fail.
    public func close() async {
        let (run, listen) = tasks.withLock { t -> (Task<Void, Never>?, Task<Void, Never>?) in
            t.closed = true
            defer { t.run = nil; t.listen = nil }
            return (t.run, t.listen)
        }
        listen?.cancel()
        await listen?.value
        hub.finish()
        run?.cancel()
        await run?.value
    }

    /// Live changes from every instance on this database.
    public func changes(for user: UserID?) -> AsyncStream<TaskChange> { hub.subscribe(user) }

    // MARK: Transactions

    /// Runs `body` in one transaction as `user` (row-level security shows only that user's rows), or with every
    /// row in scope when `user` is nil. With `lockUser`, the user's writes are serialized across instances first.
    /// - Throws: what `body` throws; an unreachable database as `TodoError.unavailable`.
    func transaction<Result: Sendable>(
        _ user: UserID?, lockUser: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard !tasks.withLock({ $0.closed }) else { throw TodoError.unavailable("the database store is closed") }
        let client = self.client
        let logger = self.logger
        // While the listener has lost the database, fail within a second instead of queueing behind the pool's
        // reconnects (also for requests already waiting when it notices).
        let feed = self.feed
        do {
            return try await withDeadline(configuration.requestTimeout, giveUpAfter: .seconds(1), when: { !feed.isConnected }) {
                try await client.withTransaction(logger: logger) { connection in
                    // A request that gave up while waiting for this connection must not run (and commit) now.
                    try Task.checkCancellation()
                    if let user {
                        let name = user.rawValue
                        if lockUser {
                            try await connection.query(
                                "SELECT set_config('todod.user', \(name), true), pg_advisory_xact_lock(hashtextextended(\(name), 7170))",
                                logger: logger)
                        } else {
                            try await connection.query("SELECT set_config('todod.user', \(name), true)", logger: logger)
                        }
                    } else {
                        try await connection.query("SELECT set_config('todod.scope', 'all', true)", logger: logger)
                    }
                    return try await body(connection)
                }
            }
        } catch {
            throw PostgresFailure.map(error)
        }
    }

    /// The first column of the first row, if any.
    static func single<T: PostgresDecodable>(_ rows: PostgresRowSequence, _ type: T.Type) async throws -> T? {
        for try await (value) in rows.decode(T.self) { return value }
        return nil
    }
}

// MARK: - Deadline

/// Runs `body`, failing with `TimeoutError` once it has taken `limit`. The body runs in its own task, which is
/// cancelled and abandoned at the deadline rather than awaited: while the server is down, postgres-nio's wait for a
/// pooled connection does not end on cancellation, and a request must answer anyway. A transaction whose task was
/// cancelled before it got its connection rolls back at its first statement (see `transaction`), so an abandoned
/// request never commits later. With `when`, it also gives up once `giveUpAfter` has passed and `when()` holds.
/// The limits are kept by the process's `Deadlines` watcher (one table entry per call, no timer of its own).
func withDeadline<Result: Sendable>(
    _ limit: Duration, giveUpAfter early: Duration = .zero, when giveUp: (@Sendable () -> Bool)? = nil,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    guard let outcome = await Deadlines.shared.abandoning(limit: limit, giveUpAfter: early, when: giveUp, body) else {
        let (seconds, attoseconds) = limit.components
        throw TimeoutError(seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }
    return try outcome.get()
}
