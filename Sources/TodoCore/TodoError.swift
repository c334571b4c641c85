// MARK: - TodoError

/// The domain error: what a caller did wrong or asked for that is not there.
///
/// Every layer maps it the same way: `validation` → HTTP 422 / JSON-RPC -32602 naming `field`,
/// `notFound` → HTTP 404 / JSON-RPC error; another user's ids are reported exactly like missing ones;
/// `unavailable` → HTTP 503 / JSON-RPC -32002 / an in-band ChatKit error.
public struct TodoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of error this is.
    public enum Code: String, Sendable, Equatable {
        /// Input failed validation; `field` names the offending field.
        case validation
        /// The thing asked for does not exist (or belongs to someone else).
        case notFound
        /// The request conflicts with current state (for example a duplicate id on import).
        case conflict
        /// The data store cannot be reached just now (a database restart); nothing was changed, retry later.
        case unavailable
    }

    /// The kind of error.
    public let code: Code
    /// The field that failed validation, when `code == .validation`.
    public let field: String?
    /// A human-readable message.
    public let message: String

    /// - Parameters:
    ///   - code: the kind.
    ///   - field: the offending field, if any.
    ///   - message: a human-readable message.
    public init(code: Code, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// A validation failure on `field`.
    /// - Parameters:
    ///   - field: the offending field (`title`, `description`, `status`, ...).
    ///   - message: what is wrong with it.
    public static func validation(field: String, _ message: String) -> TodoError {
        TodoError(code: .validation, field: field, message: message)
    }

    /// Something that does not exist for this user.
    /// - Parameter what: for example `task t_abc`.
    public static func notFound(_ what: String) -> TodoError {
        TodoError(code: .notFound, message: "\(what) not found")
    }

    /// A conflict with current state.
    /// - Parameter message: what conflicts.
    public static func conflict(_ message: String) -> TodoError {
        TodoError(code: .conflict, message: message)
    }

    /// The data store is unreachable for the moment; the request changed nothing and may be retried.
    /// - Parameter message: what failed, for the operator (no credentials).
    public static func unavailable(_ message: String) -> TodoError {
        TodoError(code: .unavailable, message: message)
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }
}
