// MARK: - ChatKitError

/// The one error type of `ChatKitProtocol`: a request that cannot be served, with the HTTP status it maps to.
public struct ChatKitError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case malformedJSON, badRequest, notFound, notSupported, tooLarge
    }

    private let code: Code
    /// What is wrong, safe to show to the client.
    public let message: String
    /// The offending parameter, when one is to blame.
    public let field: String?

    private init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// The body is not JSON.
    /// - Parameter detail: where parsing failed.
    public static func malformedJSON(_ detail: String) -> ChatKitError { ChatKitError(.malformedJSON, "request body is not valid JSON: \(detail)") }

    /// A parameter is missing or has the wrong type.
    /// - Parameters:
    ///   - field: the parameter path, for example `params.thread_id`.
    ///   - message: what is expected.
    public static func badRequest(field: String, _ message: String) -> ChatKitError { ChatKitError(.badRequest, message, field: field) }

    /// A thread or item that does not exist for this user.
    /// - Parameter what: for example `thread thr_1`.
    public static func notFound(_ what: String) -> ChatKitError { ChatKitError(.notFound, "\(what) not found") }

    /// A request type this server does not implement (attachments, transcription, sync actions).
    /// - Parameter type: the request type.
    public static func notSupported(_ type: String) -> ChatKitError { ChatKitError(.notSupported, "\(type) is not supported by this server", field: "type") }

    /// A message longer than the limit (422).
    /// - Parameter limit: the limit in bytes.
    public static func messageTooLong(limit: Int) -> ChatKitError {
        ChatKitError(.tooLarge, "message text must be at most \(limit) bytes", field: "params.input.content")
    }

    /// The HTTP status this error maps to.
    public var status: Int {
        switch code {
        case .malformedJSON, .badRequest, .notSupported: 400
        case .notFound: 404
        case .tooLarge: 422
        }
    }

    /// A short machine-readable code for the JSON body.
    public var errorCode: String {
        switch code {
        case .malformedJSON: "invalid_json"
        case .badRequest: "invalid_request"
        case .notFound: "not_found"
        case .notSupported: "not_supported"
        case .tooLarge: "validation_error"
        }
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}
