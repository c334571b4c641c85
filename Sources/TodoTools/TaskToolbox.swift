import Foundation
public import MCP
public import TodoCore

// MARK: - TaskToolbox

/// Runs the five task tools for exactly one user over any `TaskRepository`.
///
/// The user is fixed when the toolbox is made (from the authenticated request or the
/// control-socket peer); no argument can name another user. Validation and not-found
/// failures come back as tool errors (`isError: true`) with a clear text, never as throws.
public struct TaskToolbox: Sendable {
    /// The store the tools act on.
    public let repository: any TaskRepository
    /// The user every call acts for.
    public let user: UserID

    /// - Parameters:
    ///   - repository: the task store.
    ///   - user: the user bound to this session.
    public init(repository: any TaskRepository, user: UserID) {
        self.repository = repository
        self.user = user
    }

    /// Runs one tool.
    /// - Parameters:
    ///   - name: the tool name.
    ///   - arguments: the JSON object arguments (nil means `{}`).
    /// - Returns: a result with structured JSON and its text form, or a tool error.
    public func call(name: String, arguments: [String: Value]?) async -> CallTool.Result {
        guard let tool = TaskToolName(rawValue: name) else {
            let known = TaskToolName.allCases.map(\.rawValue).joined(separator: ", ")
            return Self.failure("Unknown tool '\(name)'. Available tools: \(known).")
        }
        let args = arguments ?? [:]
        if let extra = args.keys.sorted().first(where: { !tool.allowedArguments.contains($0) }) {
            return Self.failure("Unknown argument '\(extra)' for \(name). Allowed: \(tool.allowedArguments.sorted().joined(separator: ", ")).")
        }
        do {
            switch tool {
            case .addTask:
                let draft = TaskDraft(title: try Self.string(args, "title", required: true)!, description: try Self.string(args, "description"))
                let task = try await repository.addTask(draft, for: user, requestID: nil)
                return Self.success(Self.summary(task, status: "created"))
            case .listTasks:
                let filter = try TaskFilter(parsing: try Self.string(args, "status"))
                let tasks = try await repository.tasks(for: user, filter: filter)
                return Self.success(["tasks": .array(tasks.map(Self.detail)), "count": .int(tasks.count)])
            case .completeTask:
                let task = try await repository.setCompleted(try Self.taskID(args), true, for: user)
                return Self.success(Self.summary(task, status: "completed"))
            case .deleteTask:
                let task = try await repository.deleteTask(try Self.taskID(args), for: user)
                return Self.success(Self.summary(task, status: "deleted"))
            case .updateTask:
                let id = try Self.taskID(args)
                let patch = TaskPatch(title: try Self.string(args, "title"), description: try Self.string(args, "description"))
                guard !patch.isEmpty else {
                    return Self.failure("Nothing to update: give a new title and/or description.")
                }
                let task = try await repository.updateTask(id, patch, for: user)
                return Self.success(Self.summary(task, status: "updated"))
            }
        } catch let error as TodoError {
            switch error.code {
            case .validation: return Self.failure("Invalid \(error.field ?? "argument"): \(error.message).")
            case .notFound: return Self.failure("Not found: \(error.message). Use list_tasks to see the task ids.")
            case .conflict: return Self.failure("Conflict: \(error.message).")
            }
        } catch {
            return Self.failure("The task store failed: \(error).")
        }
    }

    // MARK: - Arguments

    private static func string(_ args: [String: Value], _ key: String, required: Bool = false) throws -> String? {
        switch args[key] {
        case nil, .null?:
            if required { throw TodoError.validation(field: key, "\(key) is required") }
            return nil
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: throw TodoError.validation(field: key, "\(key) must be a string")
        }
    }

    private static func taskID(_ args: [String: Value]) throws -> TaskID {
        try TaskID(try string(args, "task_id", required: true)!)
    }

    // MARK: - Results

    /// `{task_id, status, title}` as in the original design.
    static func summary(_ task: TaskItem, status: String) -> [String: Value] {
        ["task_id": .string(task.id.rawValue), "status": .string(status), "title": .string(task.title)]
    }

    static func detail(_ task: TaskItem) -> Value {
        var out: [String: Value] = [
            "task_id": .string(task.id.rawValue), "title": .string(task.title), "completed": .bool(task.completed),
            "status": .string(task.completed ? "completed" : "pending"), "created_at": .string(task.createdAt.rfc3339),
        ]
        if let description = task.description { out["description"] = .string(description) }
        return .object(out)
    }

    static func success(_ object: [String: Value]) -> CallTool.Result {
        CallTool.Result(content: [.text(text: encodeJSON(.object(object)), annotations: nil, _meta: nil)],
                        structuredContent: .object(object), isError: false)
    }

    static func failure(_ text: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: true)
    }

    /// Compact JSON with sorted keys (stable for tests and for the model).
    /// - Parameter value: the value.
    public static func encodeJSON(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
