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

    /// Longest date or recurrence phrase (words, ISO or RRULE), the parser's limit.
    static let maxPhrase = 200
    /// Longest quick-add line (QuickAdd's limit).
    static let maxQuickAdd = 1000
    /// Longest zone name (`DateContext.zone(named:)`'s limit).
    static let maxZone = 64
    /// Longest label as given (the limit plus a leading `@`).
    static let maxLabelInput = TaskRules.maxLabel + 1
    /// Longest search text (`TaskQuery.validated`'s limit).
    static let maxSearch = 200

    /// A string of 1...`max` scalars (before any trimming), or 422 naming `field`.
    static func bounded(_ raw: String?, field: String, max: Int) throws -> String? {
        guard let raw else { return nil }
        guard (1...max).contains(raw.unicodeScalars.count) else {
            throw HTTPAPIError.validation(field: field, "\(field) must be 1-\(max) characters")
        }
        return raw
    }

    static func project(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        guard raw.unicodeScalars.count <= TaskRules.maxProject else {
            throw HTTPAPIError.validation(field: "project", "project must be at most \(TaskRules.maxProject) characters")
        }
        return raw
    }

    static func labels(_ raw: [String]?) throws -> [String]? {
        guard let raw else { return nil }
        guard raw.count <= TaskRules.maxLabels else {
            throw HTTPAPIError.validation(field: "labels", "a task has at most \(TaskRules.maxLabels) labels")
        }
        for label in raw { _ = try bounded(label, field: "labels", max: maxLabelInput) }
        return raw
    }

    static func priority(_ raw: Int?) throws -> Int? {
        guard let raw else { return nil }
        guard (1...4).contains(raw) else { throw HTTPAPIError.validation(field: "priority", "priority must be 1 (highest) to 4") }
        return raw
    }

    // MARK: Words

    /// A due input: ISO first (`TaskDue(iso:)`), else words (`DatePhrase.parseDue`), read in `context`.
    /// - Throws: `TodoError.validation(field: "due")` when neither reads it.
    static func due(_ text: String, in context: DateContext) throws -> TaskDue {
        try WhenInput.due(text, in: context)
    }

    /// A recurrence input: RRULE text (anything with `=`) via `Recurrence(rrule:)`, else words
    /// (`DatePhrase.parseRecurrence`, which also gives the first due).
    /// - Throws: `TodoError.validation(field: "recurrence")`.
    static func recurrence(_ text: String, in context: DateContext) throws -> (Recurrence, TaskDue?) {
        try WhenInput.recurrence(text, in: context)
    }

    /// A date bound (`due_before`, `due_after`): an ISO date, else date words (their date part).
    /// - Throws: `HTTPAPIError.validation` naming `field`.
    static func date(_ text: String, field: String, in context: DateContext) throws -> LocalDate {
        do { return try WhenInput.date(text, field: field, in: context) } catch let e as TodoError {
            throw HTTPAPIError.validation(field: field, e.message)
        }
    }

    // MARK: Schemas

    static func stringSchema(max: Int, _ description: String, nullable: Bool = false) -> JSONValue {
        .obj(["type": nullable ? .array(["string", "null"]) : "string", "minLength": 1, "maxLength": .number(String(max)),
              "description": .string(description)])
    }
    static let phraseSchema = "ISO (2026-12-01, 2026-12-01T17:00:00+01:00) or words (tomorrow 5pm, next friday), read in the request's zone"
    static let recurrenceDescription = "RRULE (FREQ=WEEKLY;BYDAY=MO) or words (every monday at 9); words without `due` also set the first due"
    static let zoneSchema: JSONValue = .obj([
        "$ref": "#/components/schemas/TimeZone", "description": "IANA zone name (Europe/Berlin); overrides X-Time-Zone for this body's words",
    ])
    static func prioritySchema(nullable: Bool) -> JSONValue {
        .obj(["type": nullable ? .array(["integer", "null"]) : "integer", "minimum": 1, "maximum": 4, "description": "1 (highest) to 4"])
    }
    static let labelsSchema: JSONValue = .obj([
        "type": "array", "maxItems": .number(String(TaskRules.maxLabels)),
        "items": .obj(["type": "string", "minLength": 1, "maxLength": .number(String(maxLabelInput))]),
        "description": "each 1-32 letters, digits, _, - or . (a leading @ is dropped; lowercased); [] clears",
    ])
    static func projectSchema(nullable: Bool) -> JSONValue {
        .obj(["type": nullable ? .array(["string", "null"]) : "string", "maxLength": .number(String(TaskRules.maxProject)),
              "description": "trimmed; a leading # is dropped; empty means none"])
    }
    static let requestIDSchema: JSONValue = .obj([
        "type": "string", "minLength": 1, "maxLength": .number(String(maxRequestID)),
        "pattern": .string(requestIDPattern), "description": "idempotency key: repeating it returns the same answer",
    ])

    static let titleSchema: JSONValue = .obj([
        "type": "string", "minLength": 1, "maxLength": .number(String(TaskRules.maxTitle)), "pattern": .string(notBlankPattern),
        "description": "trimmed of surrounding white space; must not be blank",
    ])
    static let descriptionSchema: JSONValue = .obj([
        "type": "string", "maxLength": .number(String(TaskRules.maxDescription)), "description": "trimmed; empty means none",
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
    /// Parsed by `JSONValue.parse` and read by `JSONValueDecoder` (Foundation's `JSONDecoder` was a fifth of a
    /// REST create's instructions).
    static func decodeBody<T: Decodable>(_ type: T.Type, _ request: inout Request, limit: Int) async throws -> T {
        let bytes = try await request.collectLimited(limit)
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw HTTPAPIError.badRequest("request body is not valid JSON") }
        do {
            return try JSONValueDecoder.decode(T.self, from: value)
        } catch let error as DecodingError {
            throw HTTPAPIError.decoding(error)
        }
    }

    /// `value` encoded as the JSON response body (compact, keys sorted; `JSONValueEncoder`).
    static func encodedResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let bytes = try JSONValueEncoder.encode(value, sortedKeys: true)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
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
