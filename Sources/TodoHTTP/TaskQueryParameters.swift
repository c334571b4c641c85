import ChatKitProtocol
import Hummingbird
import TodoCore

// MARK: - GET /api/tasks query parameters

/// The list filters of `GET /api/tasks` (the contract's wire names): `status`, `view`, `due`, `due_before`,
/// `due_after`, `priority`, `label`, `project`, `q`, `sort`, `limit`. `view` sets defaults that the explicit
/// parameters override. Unknown parameters are ignored; an invalid value is a 422 naming the parameter.
enum TaskQueryParameters {
    /// The query for a request's parameters, date words read in `context`.
    /// - Parameters:
    ///   - value: the parameter's value by name (nil when absent).
    ///   - context: now and the request's zone.
    /// - Throws: `HTTPAPIError` / `TodoError` validation naming the parameter.
    static func query(_ value: (String) -> String?, in context: DateContext) throws -> TaskQuery {
        typealias F = TaskFieldContract
        var query = TaskQuery()
        if let raw = value("view") {
            guard let view = TaskView(rawValue: raw) else { throw invalid("view", TaskView.allCases.map(\.rawValue)) }
            query = TaskQuery(view: view)
        }
        if let raw = value("status") { query.status = try TaskFilter(parsing: raw) }
        if let raw = value("due") { query.due = try DueWindow(parsing: raw) }
        if let raw = try F.bounded(value("due_before"), field: "due_before", max: F.maxPhrase) {
            query.dueBefore = try F.date(raw, field: "due_before", in: context)
        }
        if let raw = try F.bounded(value("due_after"), field: "due_after", max: F.maxPhrase) {
            query.dueAfter = try F.date(raw, field: "due_after", in: context)
        }
        if let raw = value("priority") { query.priority = try integer(raw, "priority", 1...4) }
        if let raw = try F.bounded(value("label"), field: "label", max: F.maxLabelInput) {
            do { query.label = try TaskRules.labels([raw]).first } catch let e as TodoError {
                throw HTTPAPIError.validation(field: "label", e.message)
            }
        }
        if let raw = value("project") { query.project = try F.project(raw) }
        if let raw = value("q") {
            guard raw.unicodeScalars.count <= F.maxSearch else {
                throw HTTPAPIError.validation(field: "q", "q must be at most \(F.maxSearch) characters")
            }
            query.text = raw
        }
        if let raw = value("sort") { query.sort = try TaskSort(parsing: raw) }
        if let raw = value("limit") { query.limit = try integer(raw, "limit", 1...100_000) }
        return try query.validated()
    }

    private static func integer(_ raw: String, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard raw.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(raw), range.contains(n) else {
            throw HTTPAPIError.validation(field: name, "\(name) must be an integer \(range.lowerBound)-\(range.upperBound)")
        }
        return n
    }

    private static func invalid(_ name: String, _ names: [String]) -> HTTPAPIError {
        HTTPAPIError.validation(field: name, "\(name) must be one of " + names.joined(separator: ", "))
    }

    // MARK: OpenAPI

    private static func param(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        .obj(["name": .string(name), "in": "query", "required": false, "schema": schema, "description": .string(description)])
    }
    private static func names(_ values: [String]) -> JSONValue { .obj(["type": "string", "enum": .array(values.map { .string($0) })]) }
    private static let dateBound = TaskFieldContract.stringSchema(max: TaskFieldContract.maxPhrase, "an ISO date or date words (tomorrow, next friday)")

    /// The documented parameters of `GET /api/tasks`.
    static let parameters: [JSONValue] = [
        param("status", names(TaskFilter.allCases.map(\.rawValue)), "by completion (default all)"),
        param("view", names(TaskView.allCases.map(\.rawValue)), "today: open, overdue or due today, by due; upcoming: open, due after today, by due; explicit parameters override"),
        param("due", names(DueWindow.allCases.map(\.rawValue)), "a due window, in the request's zone"),
        param("due_before", dateBound, "due strictly before this date"),
        param("due_after", dateBound, "due strictly after this date (must be before due_before)"),
        param("priority", .obj(["type": "integer", "minimum": 1, "maximum": 4]), "exactly this priority"),
        param("label", .obj(["type": "string", "minLength": 1, "maxLength": .number(String(TaskFieldContract.maxLabelInput))]), "carries this label"),
        param("project", .obj(["type": "string", "maxLength": .number(String(TaskRules.maxProject))]), "in this project (case-insensitive)"),
        param("q", .obj(["type": "string", "maxLength": .number(String(TaskFieldContract.maxSearch))]), "title or description contains this text"),
        param("sort", names(TaskSort.allCases.map(\.rawValue)), "order (default created)"),
        param("limit", .obj(["type": "integer", "minimum": 1, "maximum": 100_000]), "at most this many"),
        RequestDateContext.headerParameter,
    ]
}

extension RequestDateContext {
    /// The OpenAPI `X-Time-Zone` header parameter.
    static let headerParameter: JSONValue = .obj([
        "name": "X-Time-Zone", "in": "header", "required": false,
        "schema": .obj(["$ref": "#/components/schemas/TimeZone"]),
        "description": "the caller's IANA zone (Europe/Berlin): what today, tomorrow and overdue mean; default the daemon's zone",
    ])
}

extension TaskFieldContract {
    /// The OpenAPI schema of an IANA zone name: exactly `RequestDateContext.knownZones`.
    static let timeZoneSchema: JSONValue = .obj([
        "type": "string", "enum": .array(RequestDateContext.knownZones.map { .string($0) }),
        "description": "an IANA zone name from the daemon's zone database",
    ])
}
