import NIOCore
import NIOSSL
import PostgresNIO
import TodoCore

// MARK: - PostgresStoreError

/// Why the PostgreSQL store could not open: `isTransient` errors (the server is down, starting, refusing
/// connections) are worth retrying with backoff; the others (bad credentials, TLS verification, a schema newer
/// than this binary) need the operator.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// The operator's message (never the password).
    public var message: String
    /// Whether retrying later may succeed.
    public var isTransient: Bool

    /// - Parameters:
    ///   - message: what failed.
    ///   - isTransient: whether a retry may succeed.
    public init(message: String, isTransient: Bool) {
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { message }
}

// MARK: - Classification

/// Turns PostgresNIO errors into the store's: a readable reason, and whether the database is merely unreachable.
enum PostgresFailure {
    /// SQLSTATE classes and codes that mean "not now" rather than "never": connection exceptions (08),
    /// insufficient resources (53), operator intervention (57P01-57P05), serialization failures and deadlocks.
    static func isTransient(sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57P") || sqlState == "40001" || sqlState == "40P01"
    }

    /// A one-line reason for `error`, without credentials.
    static func reason(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else {
            if error is TodoError || error is PostgresStoreError { return "\(error)" }
            return String(describing: error)
        }
        var parts: [String] = [psql.code.description]
        if let message = psql.serverInfo?[.message] { parts.append(message) }
        if let state = psql.serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
        if let underlying = psql.underlying { parts.append(describe(underlying)) }
        return parts.joined(separator: ": ")
    }

    /// Whether `error` means the database could not be reached or went away (retry later).
    static func isUnavailable(_ error: any Error) -> Bool {
        let error = unwrap(error)
        if error is TimeoutError { return true }
        guard let psql = error as? PSQLError else {
            return error is ChannelError || error is IOError
        }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            if let underlying = psql.underlying, isTLSVerificationFailure(underlying) { return false }
            return true
        case .server:
            return psql.serverInfo?[.sqlState].map(isTransient(sqlState:)) ?? false
        default:
            return false
        }
    }

    /// The error inside a failed transaction: what the body threw, else what BEGIN or COMMIT hit.
    static func unwrap(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        if let closure = transaction.closureError { return unwrap(closure) }
        return transaction.beginError ?? transaction.commitError ?? transaction.rollbackError ?? error
    }

    /// The error a repository call reports: `TodoError` as it is, unreachable databases as `TodoError.unavailable`.
    static func map(_ error: any Error) -> any Error {
        let error = unwrap(error)
        if error is TodoError || error is CancellationError { return error }
        if isUnavailable(error) { return TodoError.unavailable("the database is unreachable (\(reason(error)))") }
        if let psql = error as? PSQLError, psql.code == .server, let state = psql.serverInfo?[.sqlState], unstorableText.contains(state) {
            // jsonb cannot hold U+0000 (22P05) or text the database encoding lacks (22021): the input is at
            // fault, not the database, so it is a validation error (HTTP 422), not an internal one.
            return TodoError.validation(field: "body", "text with the character U+0000 (NUL) cannot be stored in PostgreSQL; remove it")
        }
        return PostgresStoreError(message: "database error: \(reason(error))", isTransient: false)
    }

    /// SQLSTATEs that mean "this text cannot be stored": untranslatable character, character not in repertoire.
    static let unstorableText: Set<String> = ["22P05", "22021"]

    /// The error `PostgresStore.open` reports.
    static func opening(_ error: any Error, url: String) -> PostgresStoreError {
        let error = unwrap(error)
        if let error = error as? PostgresStoreError { return error }
        if let psql = error as? PSQLError, let underlying = psql.underlying, isTLSVerificationFailure(underlying) {
            return PostgresStoreError(
                message: "TLS verification of \(url) failed (check sslrootcert and the server certificate): \(describe(underlying))",
                isTransient: false)
        }
        if let psql = error as? PSQLError, psql.code == .server, let state = psql.serverInfo?[.sqlState], state == "28P01" || state == "28000" {
            return PostgresStoreError(message: "\(url) refused the credentials: \(reason(error))", isTransient: false)
        }
        if let psql = error as? PSQLError, psql.code == .sslUnsupported {
            return PostgresStoreError(message: "\(url) does not offer TLS but sslmode requires it", isTransient: false)
        }
        return PostgresStoreError(message: "cannot reach \(url): \(reason(error))", isTransient: isUnavailable(error) || !(error is PSQLError))
    }

    static func isTLSVerificationFailure(_ error: any Error) -> Bool {
        if let ssl = error as? NIOSSLError, case .handshakeFailed = ssl { return true }
        if error is NIOSSLExtraError { return true }
        return false
    }

    static func describe(_ error: any Error) -> String {
        if let ssl = error as? NIOSSLError, case .handshakeFailed(let reasons) = ssl {
            return "TLS handshake failed (\(reasons))"
        }
        return String(describing: error)
    }
}

/// A request that waited longer than its bound for the database.
struct TimeoutError: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no answer within \(seconds) s" }
}
