public import MCP
import TodoCore

// MARK: - Tool names

/// The five task tools, by their MCP names.
public enum TaskToolName: String, Sendable, CaseIterable {
    case addTask = "add_task"
    case listTasks = "list_tasks"
    case completeTask = "complete_task"
    case deleteTask = "delete_task"
    case updateTask = "update_task"

    /// The argument names the tool accepts (anything else is rejected as a tool error).
    var allowedArguments: Set<String> {
        switch self {
        case .addTask: ["title", "description", "due", "priority", "labels", "project", "recurrence"]
        case .listTasks: ["status", "view", "due", "due_before", "due_after", "priority", "label", "project", "query", "sort", "limit"]
        case .completeTask, .deleteTask: ["task_id"]
        case .updateTask: ["task_id", "title", "description", "due", "priority", "labels", "project", "recurrence", "clear"]
        }
    }
}

// MARK: - Catalog

/// The MCP tool definitions: JSON Schemas with descriptions and limits, output schemas, and annotations.
///
/// The annotations carry the values users of Todoist's MCP server know: list read-only and idempotent; add
/// neither read-only nor destructive; complete and update destructive (they overwrite what was there); delete
/// destructive and idempotent. Every tool has a `title`, an `outputSchema`, and `openWorldHint: false` (only the
/// user's own task store is touched). `tools/list` answers in the fixed order of `tools`.
///
/// No tool has a user parameter: the user is bound when the session is made. Dates and recurrences are
/// accepted in words and resolved by the server in the user's zone (see `TaskToolArguments`).
public enum TaskToolCatalog {
    /// All five tools, in a stable order.
    public static let tools: [Tool] = [addTask, listTasks, completeTask, deleteTask, updateTask]

    static let addTask = Tool(
        name: TaskToolName.addTask.rawValue, title: "Add task",
        description: "Create a new task for the user. Give due and recurrence in plain words exactly as the user said them "
            + "(\"tomorrow 5pm\", \"friday\", \"every month on the 1st\"); the server resolves them in the user's time zone. "
            + "Returns the task with due (ISO), due_text (absolute date in words: repeat it to the user) and recurrence_text.",
        inputSchema: [
            "type": "object",
            "properties": [
                "title": TaskToolSchemas.title, "description": TaskToolSchemas.description, "due": TaskToolSchemas.due,
                "priority": TaskToolSchemas.priority, "labels": TaskToolSchemas.labels, "project": TaskToolSchemas.project,
                "recurrence": TaskToolSchemas.recurrence,
            ],
            "required": ["title"], "additionalProperties": false,
        ],
        annotations: .init(title: "Add task", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false),
        outputSchema: TaskToolSchemas.taskOutput)

    static let listTasks = Tool(
        name: TaskToolName.listTasks.rawValue, title: "List tasks",
        description: "List the user's tasks; every filter is optional and all given filters must hold. "
            + "Returns {tasks: [{task_id, title, status, due?, due_text?, recurrence_text?, priority?, labels?, project?, ...}], count, today, time_zone}.",
        inputSchema: [
            "type": "object",
            "properties": TaskToolSchemas.listFilters,
            "additionalProperties": false,
        ],
        annotations: .init(title: "List tasks", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false),
        outputSchema: TaskToolSchemas.listOutput)

    static let completeTask = Tool(
        name: TaskToolName.completeTask.rawValue, title: "Complete task",
        description: "Mark a task as completed. A recurring task moves to its next occurrence instead (next_occurrence says when). "
            + "Returns the task with status \"completed\".",
        inputSchema: [
            "type": "object", "properties": ["task_id": TaskToolSchemas.taskID],
            "required": ["task_id"], "additionalProperties": false,
        ],
        annotations: .init(title: "Complete task", readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false),
        outputSchema: TaskToolSchemas.taskOutput)

    static let deleteTask = Tool(
        name: TaskToolName.deleteTask.rawValue, title: "Delete task",
        description: "Delete a task permanently. Ask the user to confirm before calling this. Returns the deleted task with status \"deleted\".",
        inputSchema: [
            "type": "object", "properties": ["task_id": TaskToolSchemas.taskID],
            "required": ["task_id"], "additionalProperties": false,
        ],
        annotations: .init(title: "Delete task", readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false),
        outputSchema: TaskToolSchemas.taskOutput)

    static let updateTask = Tool(
        name: TaskToolName.updateTask.rawValue, title: "Update task",
        description: "Change some fields of a task; omitted fields stay as they are. To remove a value, list the field names in "
            + "clear (for example {\"task_id\": \"t_x\", \"clear\": [\"due\"]}); JSON null also clears. due and recurrence accept "
            + "plain words, resolved in the user's time zone. Returns the task with status \"updated\" and due_text.",
        inputSchema: [
            "type": "object",
            "properties": [
                "task_id": TaskToolSchemas.taskID, "title": TaskToolSchemas.title,
                "description": TaskToolSchemas.nullable(TaskToolSchemas.description), "due": TaskToolSchemas.nullable(TaskToolSchemas.due),
                "priority": TaskToolSchemas.nullable(TaskToolSchemas.priority), "labels": TaskToolSchemas.nullable(TaskToolSchemas.labels),
                "project": TaskToolSchemas.nullable(TaskToolSchemas.project),
                "recurrence": TaskToolSchemas.nullable(TaskToolSchemas.recurrence), "clear": TaskToolSchemas.clear,
            ],
            "required": ["task_id"], "additionalProperties": false,
        ],
        annotations: .init(title: "Update task", readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false),
        outputSchema: TaskToolSchemas.taskOutput)
}
