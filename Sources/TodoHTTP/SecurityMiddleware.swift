import Hummingbird
import TodoAuth
import TodoCore
import NIOCore

// MARK: - SecurityMiddleware

/// Every request: the Host allow-list (403). `/api/…` and `/mcp`: a user from `Authorization: Bearer`
/// or the session cookie (401); cookie-authenticated state-changing requests must carry our exact
/// Origin and a JSON content type (403/415). No CORS headers are ever sent.
struct SecurityMiddleware: RouterMiddleware {
    typealias Context = TodoRequestContext

    /// The session cookie's name.
    static let cookieName = "todod_session"

    let hosts: HostPolicy
    let auth: AuthService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard hosts.allows(request.head.authority) else {
            throw HTTPAPIError.forbidden("Host not allowed")
        }
        let path = request.uri.path
        let needsUser = (path.hasPrefix("/api/") || path == "/mcp") && !(path == "/api/session" && request.method == .post)
        let stateChanging = ![.get, .head, .options].contains(request.method)
        if stateChanging || path == "/mcp", request.headers[.origin] != nil, !originMatches(request) {
            // A browser page from another origin: never acceptable, whatever the credentials. MCP asks servers to
            // refuse it on every request to the endpoint (DNS rebinding), so `GET /mcp` (the notification stream)
            // is refused too, before authentication.
            throw HTTPAPIError.forbidden("Origin not allowed")
        }
        guard needsUser else { return try await next(request, context) }
        var context = context
        if let header = request.headers[.authorization] {
            guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
                throw HTTPAPIError.unauthorized("Authorization must be `Bearer <token>`")
            }
            do {
                context.user = try await auth.verifyToken(String(header.dropFirst(7)))
            } catch {
                throw HTTPAPIError.from(error) ?? HTTPAPIError.unauthorized("invalid token")
            }
        } else if let session = Self.sessionCookie(request) {
            guard let user = try await auth.user(forSession: session) else { throw HTTPAPIError.unauthorized("session expired; sign in again") }
            if stateChanging {
                guard request.headers[.origin] != nil, originMatches(request) else { throw HTTPAPIError.forbidden("Origin required") }
                if path != "/api/session/logout" {
                    guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
                        throw HTTPAPIError.unsupportedMediaType
                    }
                }
            }
            context.user = user
            context.viaCookie = true
            context.sessionID = session
        } else {
            throw HTTPAPIError.unauthorized("authentication required: send Authorization: Bearer <token> or sign in")
        }
        return try await next(request, context)
    }

    /// `Origin` must be exactly `http://<Host>` (the Host is already allow-listed).
    private func originMatches(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin], let host = request.head.authority else { return false }
        return origin == "http://" + host
    }

    /// The session cookie's value, if present and not empty (Hummingbird parses the `Cookie` headers).
    static func sessionCookie(_ request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.value, !value.isEmpty else { return nil }
        return value
    }
}

// MARK: - Body helpers

extension Request {
    /// The body, at most `limit` bytes (413 otherwise).
    mutating func collectLimited(_ limit: Int) async throws -> [UInt8] {
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPAPIError.payloadTooLarge(limit: limit)
        }
        do {
            let buffer = try await collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw HTTPAPIError.payloadTooLarge(limit: limit)
        }
    }
}
