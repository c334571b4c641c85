public import Hummingbird
public import NIOCore
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
    /// The event loop of the request's connection (where a streamed response's writes run; see `sseResponse`).
    public let eventLoop: any EventLoop

    /// - Parameter source: the channel source.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.eventLoop = source.channel.eventLoop
    }

    /// 1 MiB, enforced by `request.collectBody` and `request.decode`.
    public var maxUploadSize: Int { 1 << 20 }

    /// The user, or 401.
    public func requireUser() throws -> UserID {
        guard let user else { throw HTTPAPIError.unauthorized("authentication required") }
        return user
    }
}
