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
        case .addTask: ["title", "description"]
        case .listTasks: ["status"]
        case .completeTask, .deleteTask: ["task_id"]
        case .updateTask: ["task_id", "title", "description"]
        }
    }
}

// MARK: - Catalog

/// The MCP tool definitions: JSON Schemas with descriptions and limits, plus annotations.
///
/// No tool has a user parameter: the user is bound when the session is made.
public enum TaskToolCatalog {
    /// All five tools, in a stable order.
    public static let tools: [Tool] = [addTask, listTasks, completeTask, deleteTask, updateTask]

    private static let taskIDProperty: Value = [
        "type": "string",
        "description": "The task's id as returned by add_task or list_tasks (for example \"t_ab3k9x2mqp\").",
        "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$",
    ]
    private static let titleProperty: Value = [
        "type": "string", "description": "A short title for the task.",
        "minLength": 1, "maxLength": .int(TaskRules.maxTitle),
    ]
    private static let descriptionProperty: Value = [
        "type": "string", "description": "Optional longer notes for the task; an empty string clears them on update.",
        "maxLength": .int(TaskRules.maxDescription),
    ]

    static let addTask = Tool(
        name: TaskToolName.addTask.rawValue, title: "Add task",
        description: "Create a new task for the user. Returns {task_id, status: \"created\", title}.",
        inputSchema: [
            "type": "object",
            "properties": ["title": titleProperty, "description": descriptionProperty],
            "required": ["title"], "additionalProperties": false,
        ],
        annotations: .init(title: "Add task", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false))

    static let listTasks = Tool(
        name: TaskToolName.listTasks.rawValue, title: "List tasks",
        description: "List the user's tasks, oldest first. Returns {tasks: [{task_id, title, description?, completed, status, created_at}], count}.",
        inputSchema: [
            "type": "object",
            "properties": [
                "status": [
                    "type": "string", "enum": ["all", "pending", "completed"], "default": "all",
                    "description": "Which tasks to list: all (default), pending (not done) or completed.",
                ]
            ],
            "additionalProperties": false,
        ],
        annotations: .init(title: "List tasks", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false))

    static let completeTask = Tool(
        name: TaskToolName.completeTask.rawValue, title: "Complete task",
        description: "Mark a task as completed. Returns {task_id, status: \"completed\", title}.",
        inputSchema: [
            "type": "object", "properties": ["task_id": taskIDProperty],
            "required": ["task_id"], "additionalProperties": false,
        ],
        annotations: .init(title: "Complete task", readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false))

    static let deleteTask = Tool(
        name: TaskToolName.deleteTask.rawValue, title: "Delete task",
        description: "Delete a task permanently. Ask the user to confirm before calling this. Returns {task_id, status: \"deleted\", title}.",
        inputSchema: [
            "type": "object", "properties": ["task_id": taskIDProperty],
            "required": ["task_id"], "additionalProperties": false,
        ],
        annotations: .init(title: "Delete task", readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false))

    static let updateTask = Tool(
        name: TaskToolName.updateTask.rawValue, title: "Update task",
        description: "Change a task's title and/or description. Returns {task_id, status: \"updated\", title}.",
        inputSchema: [
            "type": "object",
            "properties": ["task_id": taskIDProperty, "title": titleProperty, "description": descriptionProperty],
            "required": ["task_id"], "additionalProperties": false,
        ],
        annotations: .init(title: "Update task", readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false))
}
