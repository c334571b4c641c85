#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import ChatKitProtocol
import TodoCore

// MARK: - Typed REST bodies

/// The HTTP contract of a task field: the exact constraints the OpenAPI document declares, checked on the raw
/// value before `TaskRules` trims it, so that a value is accepted if and only if the schema says it is valid.
///
/// Lengths are counted in Unicode scalars (what JSON Schema's `maxLength` counts); a title must contain a scalar
/// that is not Unicode `White_Space` (what `TaskRules` trims).
enum TaskFieldContract {
    /// The scalars with Unicode's `White_Space` property (what `TaskRules` trims), spelled out so every regex
    /// engine reads the same class (a test checks them against `Unicode.Scalar.Properties.isWhitespace`).
    static let whiteSpace: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0x85...0x85, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
    ]
    /// A regex matching one scalar that `TaskRules` does not trim (a title must contain one).
    static let notBlankPattern = "[^" + whiteSpace.map { r in
        r.count == 1 ? escape(r.lowerBound) : escape(r.lowerBound) + "-" + escape(r.upperBound)
    }.joined() + "]"

    private static func escape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
    /// Printable ASCII, what the store accepts for an idempotency key and more.
    static let requestIDPattern = "^[ -~]+$"
    /// Longest idempotency key (the store's limit).
    static let maxRequestID = 128

    static func title(_ raw: String) throws -> String {
        guard raw.unicodeScalars.count <= TaskRules.maxTitle else {
            throw HTTPAPIError.validation(field: "title", "title must be at most \(TaskRules.maxTitle) characters")
        }
        return raw
    }

    static func description(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        guard raw.unicodeScalars.count <= TaskRules.maxDescription else {
            throw HTTPAPIError.validation(field: "description", "description must be at most \(TaskRules.maxDescription) characters")
        }
        return raw
    }

    static func requestID(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        guard (1...maxRequestID).contains(raw.unicodeScalars.count), raw.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) else {
            throw HTTPAPIError.validation(field: "request_id", "request_id must be 1-\(maxRequestID) printable ASCII characters")
        }
        return raw
    }

    static let titleSchema: JSONValue = .obj([
        "type": "string", "minLength": 1, "maxLength": .number(String(TaskRules.maxTitle)), "pattern": .string(notBlankPattern),
        "description": "trimmed of surrounding white space; must not be blank",
    ])
    static let descriptionSchema: JSONValue = .obj([
        "type": "string", "maxLength": .number(String(TaskRules.maxDescription)), "description": "trimmed; empty means none",
    ])
}

/// `POST /api/tasks`: `{title, description?, request_id?}`. Unknown keys are ignored; `null` is refused.
struct CreateTaskRequest: Decodable, Sendable {
    var title: String
    var description: String?
    var requestID: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, description
        case requestID = "request_id"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try TaskFieldContract.title(c.decode(String.self, forKey: .title))
        description = try TaskFieldContract.description(c.decodeUnlessAbsent(String.self, forKey: .description))
        requestID = try TaskFieldContract.requestID(c.decodeUnlessAbsent(String.self, forKey: .requestID))
    }

    /// The draft for the repository (trimmed and checked there by `TaskRules`).
    var draft: TaskDraft { TaskDraft(title: title, description: description) }

    /// The OpenAPI schema of this body.
    static let schema: JSONValue = .obj([
        "type": "object", "required": .array(["title"]),
        "properties": .obj([
            "title": TaskFieldContract.titleSchema,
            "description": TaskFieldContract.descriptionSchema,
            "request_id": .obj([
                "type": "string", "minLength": 1, "maxLength": .number(String(TaskFieldContract.maxRequestID)),
                "pattern": .string(TaskFieldContract.requestIDPattern), "description": "idempotency key: repeating it returns the task it created",
            ]),
        ]),
    ])
}

/// `PATCH /api/tasks/{id}`: at least one of `title`, `description` (`""` clears it), `completed`.
struct UpdateTaskRequest: Decodable, Sendable {
    var patch: TaskPatch

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, description, completed
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        patch = TaskPatch(
            title: try c.decodeUnlessAbsent(String.self, forKey: .title).map(TaskFieldContract.title),
            description: try TaskFieldContract.description(c.decodeUnlessAbsent(String.self, forKey: .description)),
            completed: try c.decodeUnlessAbsent(Bool.self, forKey: .completed))
        guard !patch.isEmpty else { throw HTTPAPIError.validation(field: "body", "give at least one of title, description, completed") }
    }

    /// The OpenAPI schema of this body.
    static let schema: JSONValue = .obj([
        "type": "object",
        "anyOf": .array(CodingKeys.allCases.map { .obj(["required": .array([.string($0.rawValue)])]) }),
        "properties": .obj([
            "title": TaskFieldContract.titleSchema,
            "description": TaskFieldContract.descriptionSchema,
            "completed": .obj(["type": "boolean"]),
        ]),
    ])
}

extension KeyedDecodingContainer {
    /// nil when the key is absent; a present `null` is a type error (the schema does not allow it).
    func decodeUnlessAbsent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        contains(key) ? try decode(type, forKey: key) : nil
    }
}

// MARK: - Decoding and encoding

extension HTTPServer {
    /// The body decoded as `T`: 400 when it is not JSON, 422 naming the field when it does not fit `T`.
    static func decodeBody<T: Decodable>(_ type: T.Type, _ request: inout Request, limit: Int) async throws -> T {
        let bytes = try await request.collectLimited(limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw HTTPAPIError.decoding(error)
        }
    }

    /// `value` encoded as the JSON response body.
    static func encodedResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPAPIError {
    /// 400 for a body that is not JSON; 422 naming the first field that does not fit.
    static func decoding(_ error: DecodingError) -> HTTPAPIError {
        func field(_ path: [any CodingKey]) -> String { path.isEmpty ? "body" : path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context):
            let name = field(context.codingPath + [key])
            return .validation(field: name, "`\(name)` is required")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let name = field(context.codingPath)
            return .validation(field: name, context.codingPath.isEmpty ? "the body must be a JSON object" : "`\(name)` must be \(expected(type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .badRequest("request body is not valid JSON")
        case .dataCorrupted(let context):
            return .validation(field: field(context.codingPath), context.debugDescription)
        @unknown default:
            return .badRequest("request body does not fit")
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "a boolean"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }
}

extension HTTPServer {
    /// The body as a JSON object (400 when not JSON, 422 when not an object), for bodies without a typed request yet.
    static func jsonBody(_ request: inout Request, _ limit: Int) async throws -> JSONValue {
        let bytes = try await request.collectLimited(limit)
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw HTTPAPIError.badRequest("request body is not valid JSON") }
        guard value.objectValue != nil else { throw HTTPAPIError.validation(field: "body", "the body must be a JSON object") }
        return value
    }
}
