// MARK: - DaemonError

/// The daemon module's error: configuration and start-up failures, each with a message for the operator.
public struct DaemonError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case configuration, startup, storeFailed
    }

    private let code: Code
    /// What went wrong, for the operator.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// A bad flag, environment variable or config file entry.
    /// - Parameter message: which and why.
    public static func configuration(_ message: String) -> DaemonError { DaemonError(.configuration, message) }

    /// Start-up failed (lock held, socket in use, store corrupt, ...).
    /// - Parameter message: why.
    public static func startup(_ message: String) -> DaemonError { DaemonError(.startup, message) }

    /// The store fail-stopped while running.
    /// - Parameter message: the store's error.
    public static func storeFailed(_ message: String) -> DaemonError { DaemonError(.storeFailed, message) }

    /// Whether this is a store failure (exit code 70 in `todod`).
    public var isStoreFailure: Bool { code == .storeFailed }
}
