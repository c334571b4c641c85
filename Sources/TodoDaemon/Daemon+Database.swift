import Foundation
import Logging
import SystemdSupport
import TodoAuth
import TodoCore
import TodoPostgres
import TodoStore

// MARK: - The store the daemon opened

/// The store `Daemon.start` opened: the file store, or PostgreSQL (which also keeps the browser sessions).
enum OpenedStore: Sendable {
    case file(Store)
    case postgres(PostgresStore)

    /// The store as the rest of the daemon sees it.
    var store: any DataStore {
        switch self {
        case .file(let store): store
        case .postgres(let store): store
        }
    }
}

// MARK: - Opening PostgreSQL with retries

/// Opens the database at start-up, waiting with exponential backoff while it is unreachable.
enum DatabaseStartup {
    /// The first wait after a failed attempt.
    static let firstDelay: Duration = .milliseconds(250)
    /// The longest wait between attempts.
    static let longestDelay: Duration = .seconds(5)

    /// The wait after the `failures`-th failed attempt in a row (1-based): 0.25 s, 0.5 s, 1 s, … up to 5 s.
    static func delay(afterFailures failures: Int) -> Duration {
        var delay = firstDelay
        for _ in 1..<max(1, failures) where delay < longestDelay { delay = delay * 2 }
        return min(delay, longestDelay)
    }

    /// Calls `open` until it succeeds. A transient `PostgresStoreError` (the server is down, starting, refusing
    /// connections) is reported to `onWait` and retried after `sleep`; any other error ends the loop.
    /// Cancellation ends it at once: it is checked before every attempt, and `sleep` (`Task.sleep`) throws.
    /// - Parameters:
    ///   - open: one attempt.
    ///   - sleep: waits for a duration (tests pass one that returns at once and records the durations).
    ///   - onWait: called with each transient failure and the wait before the next attempt.
    /// - Returns: what `open` returned.
    /// - Throws: the first non-transient error, or `CancellationError`.
    static func openWithRetry<Opened>(
        open: () async throws -> Opened,
        sleep: (Duration) async throws -> Void,
        onWait: (_ error: PostgresStoreError, _ delay: Duration) -> Void
    ) async throws -> Opened {
        var failures = 0
        while true {
            try Task.checkCancellation()
            do {
                return try await open()
            } catch let error as PostgresStoreError where error.isTransient {
                try Task.checkCancellation()
                failures += 1
                let wait = Self.delay(afterFailures: failures)
                onWait(error, wait)
                try await sleep(wait)
            }
        }
    }
}

extension Daemon {
    /// Opens the PostgreSQL store, waiting (log warning, `STATUS=waiting for database …`) while it is unreachable.
    /// - Throws: `DaemonError.startup` naming the URL (without its password) when the database refuses for good
    ///   (credentials, TLS, a newer schema), or `CancellationError` (SIGTERM during the wait).
    static func openDatabase(_ database: PostgresStoreConfiguration, context: DaemonContext, logger: Logger) async throws -> PostgresStore {
        let url = database.redactedURL
        context.notifier.status("connecting to database \(url)")
        let storeLogger = context.makeLogger("todo.store")
        do {
            return try await DatabaseStartup.openWithRetry(
                open: { try await PostgresStore.open(configuration: database, clock: context.clock, timeZone: .current, logger: storeLogger) },
                sleep: { try await Task.sleep(for: $0) },
                onWait: { error, delay in
                    logger.warning("database unreachable; retrying", metadata: [
                        "todo.db": "\(url)", "todo.error": "\(error.message)", "todo.retry_in": "\(delay)",
                    ])
                    context.notifier.status("waiting for database \(url): \(error.message)")
                })
        } catch let error as PostgresStoreError {
            throw DaemonError.startup("cannot open the database \(url): \(error.message)")
        } catch let error as CancellationError {
            throw error
        } catch {
            throw DaemonError.startup("cannot open the database \(url): \(error)")
        }
    }

    /// The auth service for the opened store. File store: the secret from the configuration or the data
    /// directory's `auth-secret` file, sessions in `sessions.json`. PostgreSQL: the configured secret, else the
    /// one every instance on the database shares (this data directory's secret file, or 32 random bytes, is
    /// offered as the first one), sessions in the database.
    /// - Throws: `DaemonError.startup` naming what failed.
    static func makeAuth(configuration: DaemonConfiguration, opened: OpenedStore, secret: String?, context: DaemonContext) async throws -> AuthService {
        switch opened {
        case .file:
            do {
                return try AuthService.load(
                    dataDirectory: configuration.dataDirectory, environmentSecret: secret, clock: context.clock, storage: context.storage)
            } catch {
                throw DaemonError.startup("cannot set up authentication (auth secret in \(configuration.dataDirectory)): \(error)")
            }
        case .postgres(let store):
            let key: [UInt8]
            if let secret, !secret.isEmpty {
                key = Array(secret.utf8)
            } else {
                do {
                    var rng = SystemRandomNumberGenerator()
                    let candidate = try AuthService.existingSecret(dataDirectory: configuration.dataDirectory)
                        ?? (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    key = try await store.sharedSecret(candidate: candidate)
                } catch {
                    throw DaemonError.startup("cannot set up authentication (the shared auth secret in \(store.location)): \(error)")
                }
            }
            do {
                return try AuthService(secret: key, clock: context.clock, sessions: store)
            } catch {
                throw DaemonError.startup("cannot set up authentication: \(error)")
            }
        }
    }
}
