// MARK: - DaemonError

/// The daemon module's error: configuration and start-up failures, each with a message for the operator.
public struct DaemonError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case configuration, startup, storeFailed
    }

    private let code: Code
    /// What went wrong, for the operator.
    public let message: String
    /// The system error number behind it, when there is one (sent to systemd as `ERRNO=`).
    public let errno: Int32?

    private init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { message }

    /// A bad flag, environment variable or config file entry.
    /// - Parameter message: which and why.
    public static func configuration(_ message: String) -> DaemonError { DaemonError(.configuration, message) }

    /// Start-up failed (lock held, socket in use, store corrupt, ...).
    /// - Parameters:
    ///   - message: why, naming the address or path.
    ///   - errno: the system error number, if any.
    public static func startup(_ message: String, errno: Int32? = nil) -> DaemonError { DaemonError(.startup, message, errno: errno) }

    /// The store fail-stopped while running.
    /// - Parameter message: the store's error.
    public static func storeFailed(_ message: String) -> DaemonError { DaemonError(.storeFailed, message) }

    /// Whether this is a store failure (exit code 70 in `todod`).
    public var isStoreFailure: Bool { code == .storeFailed }
}
