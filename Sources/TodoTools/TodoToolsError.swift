// MARK: - TodoToolsError

/// The one error type of `TodoTools`: failures of the MCP plumbing itself (not tool errors,
/// which travel back to the caller as `isError: true` results).
public struct TodoToolsError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case sessionFailed
        case callFailed
    }

    private let code: Code
    /// A human-readable message.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The in-process MCP session could not be set up.
    /// - Parameter detail: what went wrong.
    public static func sessionFailed(_ detail: String) -> TodoToolsError {
        TodoToolsError(.sessionFailed, "MCP session failed: \(detail)")
    }

    /// A tool call could not be delivered or answered (transport failure, not a tool error).
    /// - Parameter detail: what went wrong.
    public static func callFailed(_ detail: String) -> TodoToolsError {
        TodoToolsError(.callFailed, "MCP call failed: \(detail)")
    }

    /// Whether this is a session set-up failure.
    public var isSessionFailure: Bool { code == .sessionFailed }

    public var description: String { message }
}
