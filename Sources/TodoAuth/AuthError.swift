// MARK: - AuthError

/// The one error type of `TodoAuth`: a rejected credential, an unusable secret or an unusable session file.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case unauthorized
        case weakSecret
        case secretFile
        case invalidCode
        case sessionFile
    }

    private let code: Code
    /// A human-readable reason (never contains the credential itself).
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A bearer token, cookie or code was missing, malformed, forged or expired (HTTP 401).
    /// - Parameter reason: why, for the log and the JSON body.
    public static func unauthorized(_ reason: String) -> AuthError { AuthError(.unauthorized, reason) }

    /// The configured secret is shorter than 32 bytes.
    public static let weakSecret = AuthError(.weakSecret, "BETTER_AUTH_SECRET must be at least 32 bytes")

    /// The secret file could not be read or written.
    /// - Parameter detail: path and errno text.
    public static func secretFile(_ detail: String) -> AuthError { AuthError(.secretFile, "auth secret file: \(detail)") }

    /// The browser sessions file could not be read, decoded or written.
    /// - Parameter detail: path and cause.
    public static func sessionFile(_ detail: String) -> AuthError { AuthError(.sessionFile, "session file: \(detail)") }

    /// A one-time login code was unknown, used already or expired.
    public static let invalidCode = AuthError(.invalidCode, "the login code is invalid, used or expired")

    /// Whether this error means "send 401".
    public var isUnauthorized: Bool { code == .unauthorized || code == .invalidCode }

    public var description: String { message }
}
