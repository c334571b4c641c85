import ChatKitProtocol

// MARK: - OpenAPI 3.1

/// The OpenAPI 3.1 description of every route (a test checks it against the router, both ways).
enum OpenAPIDocument {
    private static func op(_ summary: String, auth: Bool = true, body: JSONValue? = nil, responses: [(String, String)], params: [JSONValue] = []) -> JSONValue {
        .obj([
            "summary": .string(summary),
            "parameters": params.isEmpty ? nil : .array(params),
            "requestBody": body.map { .obj(["required": true, "content": .obj(["application/json": .obj(["schema": $0])])]) },
            "responses": .object(responses.map { ($0.0, .obj(["description": .string($0.1)])) }),
            "security": auth ? nil : .array([]),
        ])
    }

    private static let idParam = JSONValue.obj(["name": "id", "in": "path", "required": true, "schema": .obj(["type": "string"])])
    private static let taskRef = JSONValue.obj(["$ref": "#/components/schemas/Task"])
    private static let errors: [(String, String)] = [("401", "not authenticated"), ("403", "Host or Origin not allowed"), ("404", "no such task (or another user's)")]

    /// The document served at `GET /api/openapi.json`.
    static let document: JSONValue = .obj([
        "openapi": "3.1.0",
        "info": .obj(["title": "todod", "version": "1.0.0", "description": "Tasks, ChatKit and live events on localhost."]),
        "servers": .array([.obj(["url": "http://127.0.0.1:8765"])]),
        "security": .array([.obj(["bearer": .array([])]), .obj(["cookie": .array([])])]),
        "paths": .obj([
            "/healthz": .obj(["get": op("Liveness probe", auth: false, responses: [("200", "ok")])]),
            "/": .obj(["get": op("The web UI", auth: false, responses: [("200", "HTML page")])]),
            "/login": .obj(["get": op("Sign-in page; posts the code in the URL fragment to /api/session", auth: false, responses: [("200", "HTML page")])]),
            "/assets/{name}": .obj(["get": op("UI scripts and styles", auth: false, responses: [("200", "asset"), ("404", "no such asset")],
                params: [.obj(["name": "name", "in": "path", "required": true, "schema": .obj(["type": "string"])])])]),
            "/api/openapi.json": .obj(["get": op("This document", responses: [("200", "OpenAPI 3.1")])]),
            "/api/tasks": .obj([
                "get": op("List tasks", responses: [("200", "array of Task"), ("422", "bad status filter")],
                    params: [.obj(["name": "status", "in": "query", "schema": .obj(["type": "string", "enum": .array(["all", "pending", "completed"])])])]),
                "post": op("Create a task", body: .obj(["$ref": "#/components/schemas/TaskCreate"]), responses: [("201", "the Task"), ("422", "validation error naming the field")]),
            ]),
            "/api/tasks/{id}": .obj([
                "get": op("One task", responses: [("200", "the Task")] + errors, params: [idParam]),
                "patch": op("Update title, description or completed", body: .obj(["$ref": "#/components/schemas/TaskPatch"]),
                    responses: [("200", "the Task"), ("422", "validation error naming the field")] + errors, params: [idParam]),
                "delete": op("Delete a task", responses: [("200", "the deleted Task")] + errors, params: [idParam]),
            ]),
            "/api/tasks/{id}/complete": .obj(["post": op("Mark completed", responses: [("200", "the Task")] + errors, params: [idParam])]),
            "/api/tasks/{id}/reopen": .obj(["post": op("Mark pending again", responses: [("200", "the Task")] + errors, params: [idParam])]),
            "/api/events": .obj(["get": op("Server-sent events: `event: task` with {kind, task} for every change", responses: [("200", "text/event-stream")])]),
            "/api/chatkit": .obj(["post": op("ChatKit server protocol (16 request types; SSE for streaming types)",
                body: .obj(["type": "object", "required": .array(["type", "params"])]),
                responses: [("200", "JSON or text/event-stream"), ("400", "malformed or unsupported request"), ("404", "unknown thread or item"), ("413", "body over 1 MiB"), ("422", "message over 16 KiB"), ("429", "rate limited (Retry-After)")])]),
            "/api/chat": .obj(["post": op("Synchronous chat: {message, conversation_id?} → {conversation_id, response, tool_calls}",
                body: .obj(["type": "object", "required": .array(["message"]), "properties": .obj(["message": .obj(["type": "string"]), "conversation_id": .obj(["type": "string"])])]),
                responses: [("200", "the reply"), ("404", "unknown conversation"), ("422", "bad message"), ("429", "rate limited"), ("503", "assistant unavailable")])]),
            "/api/session": .obj([
                "post": op("Exchange a one-time login code for a session cookie", auth: false,
                    body: .obj(["type": "object", "required": .array(["code"]), "properties": .obj(["code": .obj(["type": "string"])])]),
                    responses: [("200", "{user} and Set-Cookie"), ("401", "invalid, used or expired code")]),
                "get": op("Who am I", responses: [("200", "{user, via}"), ("401", "not signed in")]),
            ]),
            "/api/session/logout": .obj(["post": op("End the session", responses: [("200", "{} and an expired cookie")])]),
            "/mcp": .obj([
                "post": op("MCP streamable HTTP: JSON-RPC requests (initialize first)", responses: [("200", "JSON-RPC response or SSE"), ("400", "no session"), ("401", "not authenticated"), ("404", "unknown session")]),
                "get": op("MCP streamable HTTP: server-to-client SSE stream of a session", responses: [("200", "text/event-stream"), ("404", "unknown session")]),
                "delete": op("MCP streamable HTTP: end a session", responses: [("200", "ended"), ("404", "unknown session")]),
            ]),
        ]),
        "components": .obj([
            "securitySchemes": .obj([
                "bearer": .obj(["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]),
                "cookie": .obj(["type": "apiKey", "in": "cookie", "name": "todod_session"]),
            ]),
            "schemas": .obj([
                "Task": .obj(["type": "object", "required": .array(["id", "title", "completed", "created_at", "updated_at"]), "properties": .obj([
                    "id": .obj(["type": "string"]), "title": .obj(["type": "string"]), "description": .obj(["type": "string"]),
                    "completed": .obj(["type": "boolean"]), "created_at": .obj(["type": "string", "format": "date-time"]),
                    "updated_at": .obj(["type": "string", "format": "date-time"]),
                ])]),
                "TaskCreate": .obj(["type": "object", "required": .array(["title"]), "properties": .obj([
                    "title": .obj(["type": "string", "maxLength": 200]), "description": .obj(["type": "string", "maxLength": 1000]),
                    "request_id": .obj(["type": "string", "description": "idempotency key"]),
                ])]),
                "TaskPatch": .obj(["type": "object", "properties": .obj([
                    "title": .obj(["type": "string"]), "description": .obj(["type": "string"]), "completed": .obj(["type": "boolean"]),
                ])]),
            ]),
        ]),
    ])
}
