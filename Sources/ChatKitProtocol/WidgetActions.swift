public import TodoCore

// MARK: - Widget actions

/// A server action of the task-list widget, parsed from a `threads.custom_action` request's `action`
/// (`{"type": "todod.task.complete" | "todod.task.reopen", "payload": {"task_id": "…"}}`).
///
/// The action names what to do and to which task; the user it is done for is always the request's
/// authenticated user, never anything in the payload.
public struct TaskWidgetAction: Sendable, Hashable {
    /// What the action does.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Marks the task done (a recurring task moves to its next occurrence).
        case complete = "todod.task.complete"
        /// Marks a done task as not done.
        case reopen = "todod.task.reopen"
    }

    /// The client action that opens a task in the page (`payload.task_id`); never sent to the server.
    public static let openType = "todod.task.open"
    /// The client action that shows the whole list in the page; never sent to the server.
    public static let showAllType = "todod.tasks.show_all"

    /// The key that marks a stored `hidden_context_item` as the record of a widget action: the conversation
    /// history gives its `content` to the model as the user's words, so the next turn knows what changed.
    public static let historyNoteKey = "x_widget_action"

    /// What to do.
    public var kind: Kind
    /// The task it applies to.
    public var taskID: String

    /// - Parameters:
    ///   - kind: what to do.
    ///   - taskID: the task.
    public init(kind: Kind, taskID: String) {
        self.kind = kind
        self.taskID = taskID
    }

    /// Parses an `Action` object.
    /// - Parameter action: `{type, payload}`.
    /// - Throws: `ChatKitError.badRequest` for an unknown type or a payload without a string `task_id`.
    public init(action: JSONValue) throws {
        let type = action["type"]?.stringValue ?? ""
        guard let kind = Kind(rawValue: type) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ChatKitError.badRequest(field: "params.action.type", "unknown action `\(type)`; this server handles \(known)")
        }
        guard let id = action["payload"]?["task_id"]?.stringValue, !id.isEmpty else {
            throw ChatKitError.badRequest(field: "params.action.payload", "`payload.task_id` must be a task id")
        }
        self.init(kind: kind, taskID: id)
    }

    /// Whether the task ends up done.
    public var completes: Bool { kind == .complete }

    /// The widget's `ActionConfig` for this action (a server action; the client shows the control as loading).
    public var config: JSONValue {
        .obj(["type": .string(kind.rawValue), "payload": .obj(["task_id": .string(taskID)]), "handler": "server", "loadingBehavior": "self"])
    }

    /// The hidden item that records this action in the thread for the model (never sent to a client).
    /// - Parameters:
    ///   - id: the item id.
    ///   - threadID: its thread.
    ///   - createdAt: when the action was done.
    ///   - title: the task's title.
    ///   - stillOpen: whether the task is open afterwards (a recurring task moves on instead of finishing).
    public func historyNote(id: String, threadID: String, createdAt: Timestamp, title: String, stillOpen: Bool) -> JSONValue {
        let what = switch kind {
        case .complete: stillOpen ? "marked the current occurrence of the task '\(title)' (task_id \(taskID)) done in the task list; it repeats and is open again"
            : "marked the task '\(title)' (task_id \(taskID)) done in the task list"
        case .reopen: "marked the task '\(title)' (task_id \(taskID)) as not done in the task list"
        }
        return .obj([
            "id": .string(id), "thread_id": .string(threadID), "created_at": .string(createdAt.rfc3339), "type": "hidden_context_item",
            "content": .string("(I \(what).)"), Self.historyNoteKey: true,
        ])
    }
}
