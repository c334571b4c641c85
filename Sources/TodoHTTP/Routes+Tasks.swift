import Hummingbird
import TodoCore

// MARK: - REST tasks

/// `{kind, task}`: one change on `GET /api/events` (`event: task`).
struct TaskEvent: Encodable, Sendable {
    let kind: TaskChange.Kind
    let task: TaskItem
}

extension HTTPServer {
    /// The REST task routes. Bodies decode into `CreateTaskRequest` / `UpdateTaskRequest`, answers encode
    /// `TaskItem`; domain errors propagate and `APIErrorMiddleware` maps them.
    static func addTaskRoutes(to router: Router<TodoRequestContext>, tasks: any TaskRepository, maxBody: Int) {
        router.get("/api/tasks") { request, context -> Response in
            let user = try context.requireUser()
            let filter = try TaskFilter(parsing: request.uri.queryParameters["status"].map(String.init))
            return try encodedResponse(try await tasks.tasks(for: user, filter: filter))
        }
        router.post("/api/tasks") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let body = try await decodeBody(CreateTaskRequest.self, &request, limit: maxBody)
            return try encodedResponse(try await tasks.addTask(body.draft, for: user, requestID: body.requestID), status: .created)
        }
        router.get("/api/tasks/{id}") { _, context -> Response in
            let user = try context.requireUser()
            return try encodedResponse(try await tasks.task(try taskID(context), for: user))
        }
        router.patch("/api/tasks/{id}") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let id = try taskID(context)
            let body = try await decodeBody(UpdateTaskRequest.self, &request, limit: maxBody)
            return try encodedResponse(try await tasks.updateTask(id, body.patch, for: user))
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
    }

    // MARK: Helpers

    /// The `{id}` path parameter; a malformed id is reported as not found (like a missing one).
    static func taskID(_ context: TodoRequestContext) throws -> TaskID {
        guard let raw = context.parameters.get("id"), let id = try? TaskID(raw) else { throw HTTPAPIError.notFound("task not found") }
        return id
    }
}
