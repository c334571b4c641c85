import ChatKitProtocol
import TodoCore

// MARK: - OpenAPI 3.1

/// The OpenAPI 3.1 description of every route, served at `GET /api/openapi.json`.
///
/// Request bodies are the typed requests' own schemas (`CreateTaskRequest.schema`, …, built from `TaskRules`);
/// every operation lists every status it can answer, and the paths double as the table `APIErrorMiddleware`
/// answers `405` + `Allow` from. Tests check it against the router (both ways), against `TaskRules`, and
/// against what the routes answer; schemathesis checks it against a running todod.
enum OpenAPIDocument {
    /// What each error status means, the same for every route that can answer it.
    private static let errorMeaning: [Int: String] = [
        400: "malformed request (body not JSON, or a protocol error)",
        401: "not authenticated: send Authorization: Bearer <token> or the session cookie",
        403: "Host not allowed, or a write from another Origin",
        404: "no such resource (or another user's)",
        406: "Accept does not allow the answer's media type",
        409: "conflicts with the current state",
        413: "body over the size limit",
        415: "a cookie-authenticated write without Content-Type: application/json",
        422: "validation error naming the field",
        429: "rate limited (Retry-After)",
        503: "the assistant could not answer",
    ]

    private static func json(_ schema: JSONValue) -> JSONValue { .obj(["application/json": .obj(["schema": schema])]) }
    private static func ref(_ name: String) -> JSONValue { .obj(["$ref": .string("#/components/schemas/\(name)")]) }
    private static let errorContent = json(ref("Error"))
    private static let anyObject: JSONValue = .obj(["type": "object"])

    /// One operation: its success answers (status, description, content), then the error statuses it can answer.
    private static func op(
        _ summary: String, auth: Bool = true, body: JSONValue? = nil, params: [JSONValue] = [],
        ok: [(Int, String, JSONValue?)], errors: [Int], errorContent: JSONValue = errorContent
    ) -> JSONValue {
        var responses = ok.map { (String($0.0), JSONValue.obj(["description": .string($0.1), "content": $0.2])) }
        responses += (auth ? Set(errors + [401, 403]) : Set(errors + [403])).sorted().map {
            (String($0), .obj(["description": .string(errorMeaning[$0] ?? "error"), "content": errorContent]))
        }
        return .obj([
            "summary": .string(summary),
            "parameters": params.isEmpty ? nil : .array(params),
            "requestBody": body.map { .obj(["required": true, "content": json($0)]) },
            "responses": .object(responses),
            "security": auth ? nil : .array([]),
        ])
    }

    private static func pathParam(_ name: String) -> JSONValue {
        .obj(["name": .string(name), "in": "path", "required": true, "schema": .obj(["type": "string", "minLength": 1])])
    }
    private static let zoneHeader = RequestDateContext.headerParameter
    private static func sessionHeader(required: Bool) -> JSONValue {
        .obj(["name": "Mcp-Session-Id", "in": "header", "required": .bool(required), "schema": .obj(["type": "string"]),
              "description": "the session `initialize` opened (omitted on `initialize` itself)"])
    }
    /// What a due looks like on the wire (`TaskDue.iso`).
    static let duePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2}))?$"
    private static let html = JSONValue.obj(["text/html": .obj(["schema": .obj(["type": "string"])])])
    private static let task = json(ref("Task"))
    private static let sse = JSONValue.obj(["text/event-stream": .obj(["schema": .obj(["type": "string"])])])
    private static let mcpAnswer = JSONValue.obj(["application/json": .obj(["schema": anyObject]), "text/event-stream": .obj(["schema": .obj(["type": "string"])])])
    private static let mcpError = JSONValue.obj(["application/json": .obj(["schema": anyObject])])
    private static let taskIDErrors = [404]
    private static let writeErrors = [415]
    private static let bodyErrors = [400, 413, 415, 422]

    /// The document served at `GET /api/openapi.json`.
    static let document: JSONValue = .obj([
        "openapi": "3.1.0",
        "info": .obj(["title": "todod", "version": "1.0.0", "description": .string(
            "Tasks, ChatKit and live events on localhost. Every error is `{\"error\":{\"code\",\"message\",\"field\"?}}`; "
                + "a method a path does not serve is 405 with `Allow`.")]),
        "servers": .array([.obj(["url": "http://127.0.0.1:8765"])]),
        "security": .array([.obj(["bearer": .array([])]), .obj(["cookie": .array([])])]),
        "paths": .obj([
            "/healthz": .obj(["get": op("Liveness probe", auth: false, ok: [(200, "ok", json(anyObject))], errors: [])]),
            "/metrics": .obj(["get": op("Prometheus metrics (text format 0.0.4; names and labels in README.md); no token", auth: false,
                ok: [(200, "the metrics", .obj(["text/plain": .obj(["schema": .obj(["type": "string"])])]))], errors: [])]),
            "/": .obj(["get": op("The web UI", auth: false, ok: [(200, "HTML page", html), (304, "not modified (If-None-Match)", nil)], errors: [])]),
            "/login": .obj(["get": op("Sign-in page; posts the code in the URL fragment to /api/session", auth: false,
                ok: [(200, "HTML page", html), (304, "not modified (If-None-Match)", nil)], errors: [])]),
            "/assets/{name}": .obj(["get": op("UI scripts and styles", auth: false, params: [pathParam("name")],
                ok: [(200, "asset", .obj(["*/*": .obj(["schema": .obj(["type": "string"])])])), (304, "not modified (If-None-Match)", nil)], errors: [404])]),
            "/api/openapi.json": .obj(["get": op("This document", ok: [(200, "OpenAPI 3.1", json(anyObject))], errors: [])]),
            "/api/tasks": .obj([
                "get": op("List tasks (filters; dates read in X-Time-Zone)", params: TaskQueryParameters.parameters,
                    ok: [(200, "the tasks, in `sort` order (created by default)", json(.obj(["type": "array", "items": ref("Task")])))], errors: [422]),
                "post": op("Create a task (title, or quick-add text; due and recurrence in words or ISO/RRULE)", body: ref("TaskCreate"),
                    params: [zoneHeader], ok: [(201, "the Task", task)], errors: bodyErrors),
            ]),
            "/api/tasks.ics": .obj(["get": op("The tasks as iCalendar (RFC 5545 VTODOs; mapping in README.md); the filters of GET /api/tasks", params: TaskQueryParameters.parameters,
                ok: [(200, "a VCALENDAR", .obj(["text/calendar": .obj(["schema": .obj(["type": "string"])])]))], errors: [422])]),
            "/api/tasks/parse": .obj(["post": op("Quick-add preview: what `text` would create; nothing is saved", body: ParseTaskRequest.schema,
                params: [zoneHeader], ok: [(200, "the fields quick add read", json(ParseTaskRequest.answerSchema))], errors: bodyErrors)]),
            "/api/undo": .obj(["post": op("Undo the most recent change (create, update or delete) not undone yet",
                ok: [(200, "{undone, task, remaining}", json(ref("UndoResult")))], errors: [409] + writeErrors)]),
            "/api/tasks/{id}": .obj([
                "get": op("One task", params: [pathParam("id")], ok: [(200, "the Task", task)], errors: taskIDErrors),
                "patch": op("Update any field (null clears)", body: ref("TaskPatch"), params: [pathParam("id"), zoneHeader],
                    ok: [(200, "the Task", task)], errors: taskIDErrors + bodyErrors),
                "delete": op("Delete a task", params: [pathParam("id")], ok: [(200, "the deleted Task", task)], errors: taskIDErrors + writeErrors),
            ]),
            "/api/tasks/{id}/complete": .obj(["post": op("Mark completed", params: [pathParam("id")], ok: [(200, "the Task", task)], errors: taskIDErrors + writeErrors)]),
            "/api/tasks/{id}/reopen": .obj(["post": op("Mark pending again", params: [pathParam("id")], ok: [(200, "the Task", task)], errors: taskIDErrors + writeErrors)]),
            "/api/events": .obj(["get": op("Server-sent events: `event: task` with {kind, task} for every change", ok: [(200, "text/event-stream", sse)], errors: [])]),
            "/api/chatkit": .obj(["post": op("ChatKit server protocol (16 request types; SSE for streaming types)",
                body: .obj(["type": "object", "required": .array(["type"]), "properties": .obj(["type": .obj(["type": "string"]), "params": anyObject])]),
                ok: [(200, "JSON or text/event-stream", .obj(["application/json": .obj(["schema": anyObject]), "text/event-stream": .obj(["schema": .obj(["type": "string"])])]))],
                errors: [400, 404, 413, 415, 422, 429])]),
            "/api/chat": .obj(["post": op("Synchronous chat: {message, conversation_id?} → {conversation_id, response, tool_calls}",
                body: .obj(["type": "object", "required": .array(["message"]), "properties": .obj([
                    "message": .obj(["type": "string", "minLength": 1, "pattern": .string(TaskFieldContract.notBlankPattern)]), "conversation_id": .obj(["type": .array(["string", "null"])]),
                ])]),
                ok: [(200, "the reply", json(anyObject))], errors: [400, 404, 413, 415, 422, 429, 503])]),
            "/api/session": .obj([
                "post": op("Exchange a one-time login code for a session cookie", auth: false,
                    body: .obj(["type": "object", "required": .array(["code"]), "properties": .obj(["code": .obj(["type": "string", "minLength": 1])])]),
                    ok: [(200, "{user} and Set-Cookie", json(anyObject))], errors: [400, 401, 413, 422]),
                "get": op("Who am I", ok: [(200, "{user, via}", json(anyObject))], errors: []),
            ]),
            "/api/session/logout": .obj(["post": op("End the session", ok: [(200, "{} and an expired cookie", json(anyObject))], errors: [])]),
            "/mcp": .obj([
                "post": op("MCP streamable HTTP: JSON-RPC messages (`initialize` first, then with its Mcp-Session-Id)",
                    body: .obj(["type": "object", "required": .array(["jsonrpc"]), "properties": .obj(["jsonrpc": .obj(["const": "2.0"]), "method": .obj(["type": "string"])])]),
                    params: [sessionHeader(required: false)],
                    ok: [(200, "JSON-RPC response or SSE", mcpAnswer), (202, "notification or response accepted", nil)],
                    errors: [400, 404, 406, 409, 413, 415], errorContent: mcpError),
                "get": op("MCP streamable HTTP: server-to-client SSE stream of a session", params: [sessionHeader(required: true)],
                    ok: [(200, "text/event-stream", sse)], errors: [400, 404, 405, 406, 409], errorContent: mcpError),
                "delete": op("MCP streamable HTTP: end a session", params: [sessionHeader(required: true)],
                    ok: [(200, "ended", nil)], errors: [400, 404, 405], errorContent: mcpError),
            ]),
        ]),
        "components": .obj([
            "securitySchemes": .obj([
                "bearer": .obj(["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]),
                "cookie": .obj(["type": "apiKey", "in": "cookie", "name": "todod_session"]),
            ]),
            "schemas": .obj([
                "Task": .obj(["type": "object", "required": .array(["id", "title", "completed", "created_at", "updated_at"]), "properties": .obj([
                    "id": .obj(["type": "string"]), "title": .obj(["type": "string", "minLength": 1]),
                    "description": .obj(["type": "string", "minLength": 1]),
                    "completed": .obj(["type": "boolean"]), "created_at": .obj(["type": "string", "format": "date-time"]),
                    "updated_at": .obj(["type": "string", "format": "date-time"]),
                    "due": .obj(["type": "string", "pattern": .string(duePattern), "description": "2026-12-01 or 2026-12-01T17:00:00+01:00"]),
                    "time_zone": .obj(["type": "string", "minLength": 1, "description": "IANA zone of a timed due or a recurrence"]),
                    "priority": .obj(["type": "integer", "minimum": 1, "maximum": 4]),
                    "labels": .obj(["type": "array", "minItems": 1, "items": .obj(["type": "string", "minLength": 1]), "description": "omitted when empty"]),
                    "project": .obj(["type": "string", "minLength": 1]),
                    "recurrence": .obj(["type": "string", "pattern": "^FREQ=", "description": "RRULE"]),
                    "completed_at": .obj(["type": "string", "format": "date-time"]),
                ])]),
                "UndoResult": .obj(["type": "object", "required": .array(["undone", "task", "remaining"]), "properties": .obj([
                    "undone": .obj(["type": "string", "enum": .array(["created", "updated", "deleted"])]),
                    "task": ref("Task"), "remaining": .obj(["type": "integer", "minimum": 0]),
                ])]),
                "TaskCreate": CreateTaskRequest.schema,
                "TimeZone": TaskFieldContract.timeZoneSchema,
                "TaskPatch": UpdateTaskRequest.schema,
                "Error": .obj(["type": "object", "required": .array(["error"]), "properties": .obj([
                    "error": .obj(["type": "object", "required": .array(["code", "message"]), "properties": .obj([
                        "code": .obj(["type": "string"]), "message": .obj(["type": "string"]), "field": .obj(["type": "string"]),
                    ])]),
                ])]),
            ]),
        ]),
    ])
}
