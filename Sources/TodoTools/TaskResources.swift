public import MCP
public import TodoCore

// MARK: - The task views as MCP resources

/// A task resource's address: the two views and one task.
///
/// `todo://tasks/today` (open tasks overdue or due today), `todo://tasks/upcoming` (open tasks due after today)
/// and `todo://task/{task_id}` (one task, from the template). Anything else is not a resource of ours.
public enum TaskResourceURI: Hashable, Sendable {
    /// `todo://tasks/today`.
    case today
    /// `todo://tasks/upcoming`.
    case upcoming
    /// `todo://task/{task_id}`.
    case task(TaskID)

    /// The prefix of one task's URI.
    static let taskPrefix = "todo://task/"
    /// The template of one task's URI (RFC 6570).
    public static let taskTemplate = "todo://task/{task_id}"

    /// Parses a URI; nil for anything that is not one of ours (including a malformed task id).
    /// - Parameter uri: the URI as the client sent it.
    public init?(_ uri: String) {
        switch uri {
        case "todo://tasks/today": self = .today
        case "todo://tasks/upcoming": self = .upcoming
        default:
            guard uri.hasPrefix(Self.taskPrefix), let id = try? TaskID(String(uri.dropFirst(Self.taskPrefix.count))) else { return nil }
            self = .task(id)
        }
    }

    /// The URI text.
    public var uri: String {
        switch self {
        case .today: "todo://tasks/today"
        case .upcoming: "todo://tasks/upcoming"
        case .task(let id): Self.taskPrefix + id.rawValue
        }
    }
}

/// The resources and templates `resources/list` and `resources/templates/list` answer with.
public enum TaskResourceCatalog {
    /// The two views, in a fixed order.
    public static let resources: [Resource] = [
        Resource(name: "today", uri: TaskResourceURI.today.uri, title: "Today",
                 description: "The user's open tasks that are overdue or due today, soonest first (JSON: {tasks, count, today, time_zone}).",
                 mimeType: "application/json"),
        Resource(name: "upcoming", uri: TaskResourceURI.upcoming.uri, title: "Upcoming",
                 description: "The user's open tasks due after today, soonest first (JSON: {tasks, count, today, time_zone}).",
                 mimeType: "application/json"),
    ]

    /// One task by id.
    public static let templates: [Resource.Template] = [
        Resource.Template(uriTemplate: TaskResourceURI.taskTemplate, name: "task", title: "Task",
                          description: "One of the user's tasks by its id (as list_tasks returns it), as JSON with status, due_text and recurrence_text.",
                          mimeType: "application/json"),
    ]
}

extension TaskToolbox {
    /// `resources/read`: the view or task as JSON text, in the same shape as the tools' structured results.
    ///
    /// An unknown URI, or a task that is not the user's, is the protocol error "resource not found" (-32002,
    /// the code the MCP specification gives); a store failure is an internal error.
    /// - Parameter uri: the URI the client asked for.
    /// - Returns: one JSON text content.
    public func readResource(uri: String) async throws -> ReadResource.Result {
        guard let resource = TaskResourceURI(uri) else { throw Self.resourceNotFound(uri) }
        let ctx = context()
        let object: [String: Value]
        do {
            switch resource {
            case .today, .upcoming:
                let query = TaskQuery(view: resource == .today ? .today : .upcoming)
                let tasks = try await repository.tasks(for: user, query: query, context: ctx)
                object = TaskToolResults.list(tasks, query: query, context: ctx)
            case .task(let id):
                let task = try await repository.task(id, for: user)
                object = TaskToolResults.summary(task, status: task.completed ? "completed" : "pending")
            }
        } catch let error as TodoError where error.code == .notFound {
            throw Self.resourceNotFound(uri)
        } catch {
            throw MCPError.internalError("The task store failed: \(error)")
        }
        return ReadResource.Result(contents: [.text(Self.encodeJSON(.object(object)), uri: uri, mimeType: "application/json")])
    }

    static func resourceNotFound(_ uri: String) -> MCPError {
        .serverError(code: -32002, message: "Resource not found: \(uri) (resources: todo://tasks/today, todo://tasks/upcoming, \(TaskResourceURI.taskTemplate))")
    }
}
