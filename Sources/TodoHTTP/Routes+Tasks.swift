import Hummingbird
import ChatKitProtocol
import TodoCore

// MARK: - REST tasks

extension HTTPServer {
    static func addTaskRoutes(to router: Router<TodoRequestContext>, tasks: any TaskRepository, maxBody: Int) {
        router.get("/api/tasks") { request, context -> Response in
            let user = try context.requireUser()
            let filter: TaskFilter
            do { filter = try TaskFilter(parsing: request.uri.queryParameters["status"].map(String.init)) } catch { throw mapped(error) }
            let list = try await call { try await tasks.tasks(for: user, filter: filter) }
            return jsonResponse(.array(list.map(taskJSON)))
        }
        router.post("/api/tasks") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let body = try await jsonBody(&request, maxBody)
            guard let title = body["title"]?.stringValue else { throw HTTPAPIError.validation(field: "title", "`title` is required and must be a string") }
            let description = try optionalString(body, "description")
            let requestID = try optionalString(body, "request_id")
            let task = try await call { try await tasks.addTask(TaskDraft(title: title, description: description), for: user, requestID: requestID) }
            return jsonResponse(taskJSON(task), status: .created)
        }
        router.get("/api/tasks/{id}") { _, context -> Response in
            let user = try context.requireUser()
            let id = try taskID(context)
            return jsonResponse(taskJSON(try await call { try await tasks.task(id, for: user) }))
        }
        router.patch("/api/tasks/{id}") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let id = try taskID(context)
            let body = try await jsonBody(&request, maxBody)
            var completed: Bool? = nil
            if let c = body["completed"], !c.isNull {
                guard let b = c.boolValue else { throw HTTPAPIError.validation(field: "completed", "`completed` must be a boolean") }
                completed = b
            }
            let patch = TaskPatch(title: try optionalString(body, "title"), description: try optionalString(body, "description"), completed: completed)
            guard !patch.isEmpty else { throw HTTPAPIError.validation(field: "body", "give at least one of title, description, completed") }
            return jsonResponse(taskJSON(try await call { try await tasks.updateTask(id, patch, for: user) }))
        }
        router.delete("/api/tasks/{id}") { _, context -> Response in
            let user = try context.requireUser()
            let id = try taskID(context)
            return jsonResponse(taskJSON(try await call { try await tasks.deleteTask(id, for: user) }))
        }
        router.post("/api/tasks/{id}/complete") { _, context -> Response in
            let user = try context.requireUser()
            let id = try taskID(context)
            return jsonResponse(taskJSON(try await call { try await tasks.setCompleted(id, true, for: user) }))
        }
        router.post("/api/tasks/{id}/reopen") { _, context -> Response in
            let user = try context.requireUser()
            let id = try taskID(context)
            return jsonResponse(taskJSON(try await call { try await tasks.setCompleted(id, false, for: user) }))
        }
    }

    // MARK: Helpers

    /// A task as JSON (snake_case, description omitted when nil).
    static func taskJSON(_ t: TaskItem) -> JSONValue {
        .obj([
            "id": .string(t.id.rawValue), "title": .string(t.title), "description": t.description.map { .string($0) },
            "completed": .bool(t.completed), "created_at": .string(t.createdAt.rfc3339), "updated_at": .string(t.updatedAt.rfc3339),
        ])
    }

    /// Runs a repository call, mapping domain errors to HTTP errors.
    static func call<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw mapped(error) }
    }

    /// The `{id}` path parameter; a malformed id is reported as not found (like a missing one).
    static func taskID(_ context: TodoRequestContext) throws -> TaskID {
        guard let raw = context.parameters.get("id"), let id = try? TaskID(raw) else { throw HTTPAPIError.notFound("task not found") }
        return id
    }

    /// The body as a JSON object (400 when not JSON, 422 when not an object).
    static func jsonBody(_ request: inout Request, _ limit: Int) async throws -> JSONValue {
        let bytes = try await request.collectLimited(limit)
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw HTTPAPIError.badRequest("request body is not valid JSON") }
        guard value.objectValue != nil else { throw HTTPAPIError.validation(field: "body", "the body must be a JSON object") }
        return value
    }

    static func optionalString(_ body: JSONValue, _ key: String) throws -> String? {
        guard let v = body[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw HTTPAPIError.validation(field: key, "`\(key)` must be a string") }
        return s
    }
}
