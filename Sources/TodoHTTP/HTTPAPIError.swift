public import Hummingbird
import ChatKitProtocol
import TodoCore
import TodoAuth

// MARK: - HTTPAPIError

/// The one error type of `TodoHTTP`: every client-visible failure, answered as
/// `{"error":{"code":…,"message":…,"field"?:…}}` with the right status.
public struct HTTPAPIError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A machine-readable code (`unauthorized`, `not_found`, `validation_error`, …).
    public let code: String
    /// A human-readable message.
    public let message: String
    /// The offending field, when one is to blame.
    public let field: String?
    /// Extra headers (for example `Retry-After`).
    public let extraHeaders: HTTPFields

    private init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extraHeaders = headers
    }

    /// 401: no or bad credentials.
    public static func unauthorized(_ message: String) -> HTTPAPIError { HTTPAPIError(.unauthorized, "unauthorized", message) }
    /// 403: a Host or Origin we do not serve.
    public static func forbidden(_ message: String) -> HTTPAPIError { HTTPAPIError(.forbidden, "forbidden", message) }
    /// 404: missing, or another user's.
    public static func notFound(_ message: String) -> HTTPAPIError { HTTPAPIError(.notFound, "not_found", message) }
    /// 400: malformed request.
    public static func badRequest(_ message: String, field: String? = nil) -> HTTPAPIError { HTTPAPIError(.badRequest, "invalid_request", message, field: field) }
    /// 413: body over the limit.
    public static func payloadTooLarge(limit: Int) -> HTTPAPIError { HTTPAPIError(.contentTooLarge, "payload_too_large", "request body must be at most \(limit) bytes") }
    /// 415: not JSON.
    public static let unsupportedMediaType = HTTPAPIError(.unsupportedMediaType, "unsupported_media_type", "send Content-Type: application/json")
    /// 422: a field failed validation.
    public static func validation(field: String, _ message: String) -> HTTPAPIError { HTTPAPIError(.unprocessableContent, "validation_error", message, field: field) }
    /// 409: conflicts with current state.
    public static func conflict(_ message: String) -> HTTPAPIError { HTTPAPIError(.conflict, "conflict", message) }
    /// 429 with `Retry-After`.
    public static func tooManyRequests(_ message: String, retryAfter: Int) -> HTTPAPIError {
        HTTPAPIError(.tooManyRequests, "rate_limited", message, headers: [.retryAfter: String(max(1, retryAfter))])
    }
    /// 503 with `Retry-After`: the data store is unreachable for the moment; nothing was changed.
    public static func unavailable(_ message: String) -> HTTPAPIError {
        HTTPAPIError(.serviceUnavailable, "store_unavailable", message, headers: [.retryAfter: "2"])
    }
    /// 503: the assistant could not answer (legacy `/api/chat`).
    public static func assistantUnavailable(_ message: String) -> HTTPAPIError { HTTPAPIError(.serviceUnavailable, "assistant_error", message) }

    /// 405 with `Allow` naming the methods the path serves.
    public static func methodNotAllowed(_ method: String, allow: [String]) -> HTTPAPIError {
        HTTPAPIError(.methodNotAllowed, "method_not_allowed", "\(method) is not served here; use \(allow.joined(separator: ", "))",
                     headers: [.allow: allow.joined(separator: ", ")])
    }
    /// 500: detail only in the log.
    public static let internalError = HTTPAPIError(.internalServerError, "internal_error", "internal error (see the server log)")

    /// Hummingbird's own error, with our JSON body.
    /// - Parameter error: the error.
    public static func from(_ error: HTTPError) -> HTTPAPIError {
        let code = switch error.status.code {
        case 400: "invalid_request"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 500...: "internal_error"
        default: "http_\(error.status.code)"
        }
        return HTTPAPIError(error.status, code, error.body ?? error.status.reasonPhrase, headers: error.headers)
    }

    /// Maps a domain, ChatKit or auth error; nil for anything else (a bare 500, detail only in the log).
    /// - Parameter error: the error.
    public static func from(_ error: any Error) -> HTTPAPIError? {
        switch error {
        case let e as HTTPAPIError: return e
        case let e as TodoError:
            switch e.code {
            case .validation: return .validation(field: e.field ?? "body", e.message)
            case .notFound: return .notFound(e.message)
            case .conflict: return .conflict(e.message)
            case .unavailable: return .unavailable(e.message)
            }
        case let e as ChatKitError:
            return HTTPAPIError(HTTPResponse.Status(code: e.status), e.errorCode, e.message, field: e.field)
        case let e as AuthError where e.isUnauthorized: return .unauthorized(e.message)
        default: return nil
        }
    }

    /// The JSON body.
    var body: JSONValue {
        .obj(["error": .obj(["code": .string(code), "message": .string(message), "field": field.map { .string($0) }])])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.bytes)))
    }

    public var description: String { "\(status.code) \(code): \(message)" }
}
