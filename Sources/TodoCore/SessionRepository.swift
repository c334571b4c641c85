// MARK: - StoredSession

/// One signed-in browser as a store keeps it. The cookie value is never stored: only its HMAC-SHA256 under a
/// key derived from the daemon's secret, so a copied store names no usable cookie and cannot be matched
/// against one without the key.
public struct StoredSession: Sendable, Hashable, Codable {
    /// Hex HMAC-SHA256 of the cookie value (key: the daemon's session key).
    public var digest: String
    /// The signed-in user (a `UserID`'s raw value).
    public var user: String
    /// When the session ends, in milliseconds since the epoch.
    public var expiresMs: Int64

    /// - Parameters:
    ///   - digest: the keyed digest of the cookie value.
    ///   - user: the user id.
    ///   - expiresMs: the expiry time (ms since the epoch).
    public init(digest: String, user: String, expiresMs: Int64) {
        self.digest = digest
        self.user = user
        self.expiresMs = expiresMs
    }

    enum CodingKeys: String, CodingKey {
        case digest, user
        case expiresMs = "expires_ms"
    }
}

// MARK: - SessionRepository

/// Durable browser sessions, shared by every todod that uses the same store (the session file in a data
/// directory, or the sessions table of a PostgreSQL database). Each method returns after its change is durable.
public protocol SessionRepository: Sendable {
    /// Saves a new session.
    func saveSession(_ session: StoredSession) async throws
    /// The session with this digest, or nil (unknown, signed out, or expired at `nowMs`).
    /// - Parameters:
    ///   - digest: the keyed digest of the cookie value.
    ///   - nowMs: the current time in ms since the epoch.
    func session(digest: String, nowMs: Int64) async throws -> StoredSession?
    /// Ends a session; an unknown digest is ignored.
    func deleteSession(digest: String) async throws
}
