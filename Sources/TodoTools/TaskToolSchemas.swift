import MCP
import TodoCore

// MARK: - JSON Schemas of the tool arguments and results

/// The property schemas the five tools share (contract wire names), and their output schemas.
enum TaskToolSchemas {
    static let taskID: Value = [
        "type": "string",
        "description": "The task's id as returned by add_task or list_tasks (for example \"t_ab3k9x2mqp\").",
        "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$",
    ]
    static let title: Value = [
        "type": "string", "description": "A short title for the task.",
        "minLength": 1, "maxLength": .int(TaskRules.maxTitle),
    ]
    static let description: Value = [
        "type": "string", "description": "Optional longer notes for the task; an empty string clears them on update.",
        "maxLength": .int(TaskRules.maxDescription),
    ]
    static let due: Value = [
        "type": "string", "maxLength": 200,
        "description": .string("When it is due, in plain words as the user said it (\"tomorrow\", \"friday 5pm\", \"next week\", \"in 3 days\", "
            + "\"jan 5\", \"end of month\") or ISO (2026-12-01, 2026-12-01T17:00:00+01:00). Resolved in the user's time zone."),
    ]
    static let recurrence: Value = [
        "type": "string", "maxLength": 200,
        "description": .string("How it repeats, in words (\"every day\", \"every weekday at 9\", \"every monday\", \"every month on the 1st\", "
            + "\"yearly\") or an RRULE (FREQ=MONTHLY;BYMONTHDAY=1). Without due, the first occurrence becomes the due date."),
    ]
    static let priority: Value = [
        "type": "integer", "minimum": 1, "maximum": 4, "description": "Priority 1 (highest) to 4 (lowest).",
    ]
    static let labels: Value = [
        "type": "array", "items": ["type": "string", "minLength": 1, "maxLength": .int(TaskRules.maxLabel)], "maxItems": .int(TaskRules.maxLabels),
        "description": "Label names (stored lowercase); on update the list replaces all labels.",
    ]
    static let project: Value = [
        "type": "string", "minLength": 1, "maxLength": .int(TaskRules.maxProject), "description": "The project's name.",
    ]
    static let clear: Value = [
        "type": "array", "items": ["type": "string", "enum": ["description", "due", "priority", "labels", "project", "recurrence"]],
        "description": "Fields to remove from the task (for example [\"due\"] to make it undated, [\"recurrence\"] to stop it repeating).",
    ]

    /// The schema also allowing JSON null (a clear on update).
    static func nullable(_ schema: Value) -> Value {
        guard var object = schema.objectValue, let type = object["type"]?.stringValue else { return schema }
        object["type"] = [.string(type), "null"]
        return .object(object)
    }

    static let listFilters: Value = [
        "status": ["type": "string", "enum": ["all", "pending", "completed"], "description": "By completion (default all, or the view's)."],
        "view": ["type": "string", "enum": ["today", "upcoming", "all"],
                 "description": "A named view: today (open tasks overdue or due today), upcoming (open tasks due after today), all. Other filters override its defaults."],
        "due": ["type": "string", "enum": .array(DueWindow.allCases.map { .string($0.rawValue) }),
                "description": "A due window in the user's time zone: overdue, today, today_or_overdue, tomorrow, next_7_days (today and the next six days: \"this week\"), upcoming (after today), any (has a due date), none (no due date)."],
        "due_before": ["type": "string", "maxLength": 200, "description": "Due strictly before this date: words (\"friday\", \"next month\") or ISO (2026-12-01)."],
        "due_after": ["type": "string", "maxLength": 200, "description": "Due strictly after this date: words or ISO."],
        "priority": priority,
        "label": ["type": "string", "minLength": 1, "maxLength": .int(TaskRules.maxLabel), "description": "Has this label."],
        "project": ["type": "string", "minLength": 1, "maxLength": .int(TaskRules.maxProject), "description": "In this project."],
        "query": ["type": "string", "maxLength": 200, "description": "Text the title or description contains (case-insensitive)."],
        "sort": ["type": "string", "enum": ["due", "priority", "created"], "description": "Order: due (soonest first), priority, created (default, or the view's)."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 100_000, "description": "At most this many tasks."],
    ]

    // MARK: Output

    private static let taskProperties: [String: Value] = [
        "task_id": ["type": "string"], "title": ["type": "string"], "status": ["type": "string"], "completed": ["type": "boolean"],
        "created_at": ["type": "string"], "description": ["type": "string"],
        "due": ["type": "string", "description": "ISO date or date-time with offset."],
        "due_text": ["type": "string", "description": "The due date in words, for example \"Tuesday 1 December 2026\"."],
        "time_zone": ["type": "string"], "recurrence": ["type": "string", "description": "RRULE."],
        "recurrence_text": ["type": "string", "description": "For example \"every month on the 1st\"."],
        "priority": ["type": "integer"], "labels": ["type": "array", "items": ["type": "string"]], "project": ["type": "string"],
        "completed_at": ["type": "string"], "next_occurrence": ["type": "string"],
    ]

    static let taskOutput: Value = [
        "type": "object", "properties": .object(taskProperties), "required": ["task_id", "title", "status", "completed"],
    ]

    static let listOutput: Value = [
        "type": "object",
        "properties": [
            "tasks": ["type": "array", "items": ["type": "object", "properties": .object(taskProperties), "required": ["task_id", "title", "status"]]],
            "count": ["type": "integer"], "today": ["type": "string"], "time_zone": ["type": "string"],
        ],
        "required": ["tasks", "count"],
    ]
}
