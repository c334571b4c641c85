// MARK: - Request id

/// A JSON-RPC 2.0 request id: a string or an integer (`null` ids are treated as absent).
public enum RequestID: Sendable, Hashable, Codable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "id must be a string or an integer")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .number(let value): String(value)
        case .string(let value): value
        }
    }
}

// MARK: - Error object

/// Extra detail on an error: the offending field for -32602, or a free-form detail.
public struct RPCErrorData: Sendable, Hashable, Codable {
    /// The parameter that failed validation (`title`, `id`, `status`, ...).
    public var field: String?
    /// More detail, for example the socket or file involved.
    public var detail: String?
    /// The role a refused method needs (`operator`), on `forbidden` errors.
    public var requiredRole: String?

    /// - Parameters:
    ///   - field: the offending field.
    ///   - detail: more detail.
    ///   - requiredRole: the role a refused method needs.
    public init(field: String? = nil, detail: String? = nil, requiredRole: String? = nil) {
        self.field = field
        self.detail = detail
        self.requiredRole = requiredRole
    }

    enum CodingKeys: String, CodingKey {
        case field, detail
        case requiredRole = "required_role"
    }
}

/// A JSON-RPC 2.0 error object.
public struct RPCError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The numeric code (see the static members for the ones todod uses).
    public var code: Int
    /// A human-readable message.
    public var message: String
    /// Optional structured detail.
    public var data: RPCErrorData?

    /// - Parameters:
    ///   - code: the numeric code.
    ///   - message: a human-readable message.
    ///   - data: optional detail.
    public init(code: Int, message: String, data: RPCErrorData? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String {
        if let field = data?.field { return "\(message) (field: \(field))" }
        return message
    }

    // MARK: Codes

    /// The line was not valid JSON.
    public static let parseErrorCode = -32700
    /// The JSON was not a valid request object.
    public static let invalidRequestCode = -32600
    /// The method does not exist.
    public static let methodNotFoundCode = -32601
    /// The params were missing a field or had a bad value; `data.field` names it.
    public static let invalidParamsCode = -32602
    /// An unexpected server-side failure.
    public static let internalErrorCode = -32603
    /// A generic server error (for example the store failed or the daemon is stopping).
    public static let serverErrorCode = -32000
    /// The peer is not allowed to connect or to call this method.
    public static let forbiddenCode = -32001
    /// The feature is not available in this daemon (for example no HTTP/auth configured).
    public static let unavailableCode = -32002
    /// The task (or other object) does not exist for this user.
    public static let notFoundCode = -32004
    /// The request conflicts with the current state.
    public static let conflictCode = -32009

    /// -32700 with `message`.
    public static func parseError(_ message: String) -> RPCError { RPCError(code: parseErrorCode, message: message) }
    /// -32600 with `message`.
    public static func invalidRequest(_ message: String) -> RPCError { RPCError(code: invalidRequestCode, message: message) }
    /// -32601 naming the method.
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFoundCode, message: "unknown method '\(method)'", data: RPCErrorData(detail: method))
    }
    /// -32602 naming `field`.
    public static func invalidParams(field: String, _ message: String) -> RPCError {
        RPCError(code: invalidParamsCode, message: message, data: RPCErrorData(field: field))
    }
}

// MARK: - Envelopes

/// A response line: `{"jsonrpc":"2.0","id":…,"result":…}` or `{"jsonrpc":"2.0","id":…,"error":{…}}`.
public struct RPCResponse<Result: Codable & Sendable>: Sendable, Codable {
    /// Always `"2.0"`.
    public var jsonrpc: String = "2.0"
    /// The request's id; `null` when the request could not be read.
    public var id: RequestID?
    /// The result, on success.
    public var result: Result?
    /// The error, on failure.
    public var error: RPCError?

    /// - Parameters:
    ///   - id: the request's id.
    ///   - result: the result on success.
    ///   - error: the error on failure.
    public init(id: RequestID?, result: Result? = nil, error: RPCError? = nil) {
        self.id = id
        self.result = result
        self.error = error
    }

    enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jsonrpc, forKey: .jsonrpc)
        try container.encode(id, forKey: .id)  // JSON-RPC requires `id` (null when unknown)
        if let error {
            try container.encode(error, forKey: .error)
        } else {
            try container.encode(result, forKey: .result)
        }
    }
}

/// A request line as a client sends it.
public struct RPCRequest<Params: Encodable & Sendable>: Sendable, Encodable {
    /// Always `"2.0"`.
    public var jsonrpc: String = "2.0"
    /// The id the response will carry.
    public var id: RequestID
    /// The method name, for example `tasks.add`.
    public var method: String
    /// The method's parameters.
    public var params: Params

    /// - Parameters:
    ///   - id: the request id.
    ///   - method: the method name.
    ///   - params: the parameters.
    public init(id: RequestID, method: String, params: Params) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A notification line (no id), as the server sends for subscriptions.
public struct RPCNotification<Params: Codable & Sendable>: Sendable, Codable {
    /// Always `"2.0"`.
    public var jsonrpc: String = "2.0"
    /// The notification name, for example `events.task`.
    public var method: String
    /// Its payload.
    public var params: Params

    /// - Parameters:
    ///   - method: the notification name.
    ///   - params: its payload.
    public init(method: String, params: Params) {
        self.method = method
        self.params = params
    }
}
