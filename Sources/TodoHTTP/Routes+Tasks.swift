#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import ChatKitProtocol
import TodoCore

// MARK: - REST tasks

/// `{kind, task}`: one change on `GET /api/events` (`event: task`).
struct TaskEvent: Encodable, Sendable {
    let kind: TaskChange.Kind
    let task: TaskItem
}

extension HTTPServer {
    /// The REST task routes. Bodies decode into `CreateTaskRequest` / `UpdateTaskRequest`, answers encode
    /// `TaskItem`; dates in words are read in the request's zone (`RequestDateContext`); domain errors
    /// propagate and `APIErrorMiddleware` maps them.
    static func addTaskRoutes(to router: Router<TodoRequestContext>, dependencies: HTTPDependencies, maxBody: Int) {
        let tasks = dependencies.tasks
        let dates: @Sendable (Request) throws -> DateContext = { request in
            try RequestDateContext.resolve(request, clock: dependencies.clock, defaultZone: dependencies.timeZone)
        }
        router.get("/api/tasks") { request, context -> Response in
            let user = try context.requireUser()
            let now = try dates(request)
            let params = request.uri.queryParameters
            let query = try TaskQueryParameters.query({ params[$0[...]].map(String.init) }, in: now)
            return try encodedResponse(try await tasks.tasks(for: user, query: query, context: now))
        }
        router.post("/api/tasks") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let now = try dates(request)
            let body = try await decodeBody(CreateTaskRequest.self, &request, limit: maxBody)
            return try encodedResponse(try await tasks.addTask(try body.draft(in: now), for: user, requestID: body.requestID), status: .created)
        }
        router.post("/api/tasks/parse") { request, context -> Response in
            var request = request
            _ = try context.requireUser()
            let now = try dates(request)
            let body = try await decodeBody(ParseTaskRequest.self, &request, limit: maxBody)
            return jsonResponse(try body.preview(in: now))
        }
        router.get("/api/tasks/{id}") { _, context -> Response in
            let user = try context.requireUser()
            return try encodedResponse(try await tasks.task(try taskID(context), for: user))
        }
        router.patch("/api/tasks/{id}") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let id = try taskID(context)
            let now = try dates(request)
            let body = try await decodeBody(UpdateTaskRequest.self, &request, limit: maxBody)
            return try encodedResponse(try await tasks.updateTask(id, try body.patch(in: now), for: user, requestID: body.requestID))
        }
        router.delete("/api/tasks/{id}") { _, context -> Response in
            let user = try context.requireUser()
            return try encodedResponse(try await tasks.deleteTask(try taskID(context), for: user))
        }
        router.post("/api/tasks/{id}/complete") { _, context -> Response in
            let user = try context.requireUser()
            return try encodedResponse(try await tasks.setCompleted(try taskID(context), true, for: user))
        }
        router.post("/api/tasks/{id}/reopen") { _, context -> Response in
            let user = try context.requireUser()
            return try encodedResponse(try await tasks.setCompleted(try taskID(context), false, for: user))
        }
        router.post("/api/undo") { _, context -> Response in
            let user = try context.requireUser()
            return try encodedResponse(try await tasks.undo(for: user))
        }
    }

    // MARK: Helpers

    /// The `{id}` path parameter; a malformed id is reported as not found (like a missing one).
    static func taskID(_ context: TodoRequestContext) throws -> TaskID {
        guard let raw = context.parameters.get("id"), let id = try? TaskID(raw) else { throw HTTPAPIError.notFound("task not found") }
        return id
    }
}

// MARK: - Quick-add preview

/// `POST /api/tasks/parse`: `{text, time_zone?}` → what quick add reads from the line; nothing is saved.
struct ParseTaskRequest: Decodable, Sendable {
    var text: String
    var timeZone: String?

    enum CodingKeys: String, CodingKey {
        case text
        case timeZone = "time_zone"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        typealias F = TaskFieldContract
        text = try F.bounded(c.decode(String.self, forKey: .text), field: "text", max: F.maxQuickAdd) ?? ""
        timeZone = try F.bounded(c.decodeUnlessAbsent(String.self, forKey: .timeZone), field: "time_zone", max: F.maxZone)
    }

    /// The preview, read in `context` (or `time_zone`).
    func preview(in context: DateContext) throws -> JSONValue {
        let ctx = try RequestDateContext.overriding(context, zoneNamed: timeZone)
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw HTTPAPIError.validation(field: "text", "text must not be blank")
        }
        let r = try QuickAdd.parse(text, in: ctx)
        return .obj([
            "title": .string(r.title), "due": r.due.map { .string($0.iso) },
            "time_zone": (r.due?.instant != nil || r.recurrence != nil) ? .string(r.timeZone ?? ctx.zone.identifier) : nil,
            "recurrence": r.recurrence.map { .string($0.rrule) }, "priority": r.priority.map { .number(String($0)) },
            "labels": .array(r.labels.map { .string($0) }), "project": r.project.map { .string($0) },
            "date_text": r.dateText.map { .string($0) }, "due_text": r.due.map { .string(DueText.absolute($0)) },
            "recurrence_text": r.recurrence.map { .string($0.summary) },
        ])
    }

    /// The OpenAPI schemas of the body and the answer.
    static let schema: JSONValue = .obj([
        "type": "object", "required": .array(["text"]),
        "properties": .obj([
            "text": .obj(["type": "string", "minLength": 1, "maxLength": .number(String(TaskFieldContract.maxQuickAdd)),
                          "pattern": .string(TaskFieldContract.notBlankPattern)]),
            "time_zone": TaskFieldContract.zoneSchema,
        ]),
    ])
    static let answerSchema: JSONValue = .obj([
        "type": "object", "required": .array(["title", "labels"]),
        "properties": .obj([
            "title": .obj(["type": "string", "minLength": 1]), "due": .obj(["type": "string"]), "time_zone": .obj(["type": "string"]),
            "recurrence": .obj(["type": "string"]), "priority": .obj(["type": "integer", "minimum": 1, "maximum": 4]),
            "labels": .obj(["type": "array", "items": .obj(["type": "string"])]), "project": .obj(["type": "string"]),
            "date_text": .obj(["type": "string"]), "due_text": .obj(["type": "string"]), "recurrence_text": .obj(["type": "string"]),
        ]),
    ])
}
