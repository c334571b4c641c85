// MARK: - ControlError

/// The control module's error: connection problems on either side of the socket.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case daemonNotRunning, permissionDenied, lineTooLong, connectionClosed, socketInUse, socketSetup, badResponse, remote
    }

    private let code: Code
    /// A human-readable message.
    public let message: String
    /// The JSON-RPC error the daemon returned, for `remote` errors.
    public let rpcError: RPCError?

    private init(_ code: Code, _ message: String, rpcError: RPCError? = nil) {
        self.code = code
        self.message = message
        self.rpcError = rpcError
    }

    public var description: String { message }

    // MARK: Kinds

    /// No daemon answers on `path` (missing socket, refused connection).
    /// - Parameters:
    ///   - path: the socket tried.
    ///   - reason: the OS error text.
    public static func daemonNotRunning(path: String, reason: String) -> ControlError {
        ControlError(.daemonNotRunning, "todod is not running: could not connect to \(path) (\(reason))")
    }
    /// Whether this is a `daemonNotRunning` error.
    public var isDaemonNotRunning: Bool { code == .daemonNotRunning }

    /// The socket (or a directory on its path) exists but this user may not open it.
    /// - Parameters:
    ///   - path: the socket tried.
    ///   - group: the socket's group, when it could be read (membership grants access).
    public static func permissionDenied(path: String, group: String?) -> ControlError {
        let hint = group.map { "ask an administrator to add you to the group '\($0)' (then log in again)" }
            ?? "ask an administrator for access to it"
        return ControlError(.permissionDenied, "permission denied: cannot connect to \(path): \(hint)")
    }
    /// Whether this is a `permissionDenied` error.
    public var isPermissionDenied: Bool { code == .permissionDenied }

    /// A line longer than the limit arrived.
    /// - Parameter limit: the limit in bytes.
    public static func lineTooLong(limit: Int) -> ControlError {
        ControlError(.lineTooLong, "line exceeds \(limit) bytes")
    }
    /// Whether this is a `lineTooLong` error.
    public var isLineTooLong: Bool { code == .lineTooLong }

    /// The connection closed before the response arrived (the request may or may not have been applied).
    public static let connectionClosed = ControlError(.connectionClosed, "the daemon closed the connection before answering")
    /// Whether this is a `connectionClosed` error.
    public var isConnectionClosed: Bool { code == .connectionClosed }

    /// Another live daemon already answers on the socket path.
    /// - Parameter path: the socket path.
    public static func socketInUse(_ path: String) -> ControlError {
        ControlError(.socketInUse, "another process is already listening on \(path)")
    }

    /// Creating or binding the socket failed.
    /// - Parameter message: what failed.
    public static func socketSetup(_ message: String) -> ControlError { ControlError(.socketSetup, message) }

    /// The daemon sent something that is not a valid response.
    /// - Parameter message: what was wrong.
    public static func badResponse(_ message: String) -> ControlError { ControlError(.badResponse, message) }

    /// The daemon answered with a JSON-RPC error.
    /// - Parameter error: the error object.
    public static func remote(_ error: RPCError) -> ControlError { ControlError(.remote, error.description, rpcError: error) }
}
