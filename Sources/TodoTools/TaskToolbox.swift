public import Foundation
public import MCP
public import TodoCore

// MARK: - TaskToolbox

/// Runs the five task tools for exactly one user over any `TaskRepository`.
///
/// The user is fixed when the toolbox is made (from the authenticated request or the
/// control-socket peer); no argument can name another user. Dates and recurrences given in words
/// are resolved in the `DateContext` the `context` provider gives for each call (the daemon's clock and
/// the caller's zone). Validation and not-found failures come back as tool errors (`isError: true`) with
/// a clear text naming the argument, never as throws.
public struct TaskToolbox: Sendable {
    /// The store the tools act on.
    public let repository: any TaskRepository
    /// The user every call acts for.
    public let user: UserID
    /// "Now" and the user's zone, read once per call.
    public let context: @Sendable () -> DateContext

    /// - Parameters:
    ///   - repository: the task store.
    ///   - user: the user bound to this session.
    ///   - context: now and the zone for each call; defaults to the system clock in the process's zone.
    public init(repository: any TaskRepository, user: UserID,
                context: @escaping @Sendable () -> DateContext = { DateContext(now: SystemWallClock().now(), zone: .current) }) {
        self.repository = repository
        self.user = user
        self.context = context
    }

    /// A toolbox whose calls read `clock` and the fixed `zone`.
    /// - Parameters:
    ///   - repository: the task store.
    ///   - user: the bound user.
    ///   - clock: the daemon's clock.
    ///   - zone: the user's zone.
    public init(repository: any TaskRepository, user: UserID, clock: any WallClock, zone: TimeZone) {
        self.init(repository: repository, user: user, context: { DateContext(now: clock.now(), zone: zone) })
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
        let raw = arguments ?? [:]
        if let extra = raw.keys.sorted().first(where: { !tool.allowedArguments.contains($0) }) {
            return Self.failure("Unknown argument '\(extra)' for \(name). Allowed: \(tool.allowedArguments.sorted().joined(separator: ", ")).")
        }
        let ctx = context()
        let args = TaskToolArguments(args: raw, context: ctx)
        do {
            switch tool {
            case .addTask:
                let task = try await repository.addTask(try args.draft(), for: user, requestID: nil)
                return Self.success(TaskToolResults.summary(task, status: "created"))
            case .listTasks:
                let query = try args.query()
                let tasks = try await repository.tasks(for: user, query: query, context: ctx)
                return Self.success(TaskToolResults.list(tasks, query: query, context: ctx))
            case .completeTask:
                let id = try args.taskID()
                let task = try await repository.setCompleted(id, true, for: user)
                return Self.success(TaskToolResults.completed(task))
            case .deleteTask:
                let task = try await repository.deleteTask(try args.taskID(), for: user)
                return Self.success(TaskToolResults.summary(task, status: "deleted"))
            case .updateTask:
                let id = try args.taskID()
                let patch = try args.patch()
                guard !patch.isEmpty else {
                    return Self.failure("Nothing to update: give at least one field to change (title, description, due, priority, labels, project, recurrence) or list fields in clear.")
                }
                let task = try await repository.updateTask(id, patch, for: user)
                return Self.success(TaskToolResults.summary(task, status: "updated"))
            }
        } catch let error as TodoError {
            switch error.code {
            case .validation: return Self.failure("Invalid \(error.field ?? "argument"): \(error.message).")
            case .notFound: return Self.failure("Not found: \(error.message). Use list_tasks to see the task ids.")
            case .conflict: return Self.failure("Conflict: \(error.message).")
            case .unavailable: return Self.failure("The task store is unavailable just now (\(error.message)); nothing was changed. Try again shortly.")
            }
        } catch {
            return Self.failure("The task store failed: \(error).")
        }
    }

    // MARK: - Results

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
