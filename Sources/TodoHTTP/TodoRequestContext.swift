public import Hummingbird
public import TodoCore

// MARK: - TodoRequestContext

/// The per-request context: who the caller is and how they authenticated.
public struct TodoRequestContext: RequestContext, Sendable {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// The authenticated user, set by the auth middleware.
    public var user: UserID?
    /// Whether the user came from the session cookie (then state-changing requests need our Origin).
    public var viaCookie = false
    /// The session cookie value, when authenticated by it.
    public var sessionID: String?

    /// - Parameter source: the channel source.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// 1 MiB, enforced by `request.collectBody` and `request.decode`.
    public var maxUploadSize: Int { 1 << 20 }

    /// The user, or 401.
    public func requireUser() throws -> UserID {
        guard let user else { throw HTTPAPIError.unauthorized("authentication required") }
        return user
    }
}
