import Foundation
import MCP
import TodoCore

// MARK: - Task values → tool results

/// The JSON the tools return: the stored ISO values plus their absolute English forms (`due_text`,
/// `recurrence_text`), so the model can confirm "due Monday 1 December 2026" without any date arithmetic.
enum TaskToolResults {
    /// `{task_id, status, title, ...task fields}` for add, complete, delete and update.
    static func summary(_ task: TaskItem, status: String) -> [String: Value] {
        var out = fields(task)
        out["status"] = .string(status)
        return out
    }

    /// complete_task's result: a recurring task moves on to its next occurrence instead of finishing,
    /// and `next_occurrence` says so in words.
    static func completed(_ task: TaskItem) -> [String: Value] {
        var out = summary(task, status: "completed")
        if !task.completed, task.recurrence != nil, let due = task.due {
            out["next_occurrence"] = .string("This occurrence is done; the recurring task is now due \(DueText.absolute(due)).")
        }
        return out
    }

    /// `{tasks, count, today, time_zone}` for list_tasks.
    static func list(_ tasks: [TaskItem], query: TaskQuery, context: DateContext) -> [String: Value] {
        [
            "tasks": .array(tasks.map { task in
                var out = fields(task)
                out["status"] = .string(task.completed ? "completed" : "pending")
                return .object(out)
            }),
            "count": .int(tasks.count),
            "today": .string(context.today.iso),
            "time_zone": .string(context.zone.identifier),
        ]
    }

    /// Every field of a task that is set, in wire names.
    static func fields(_ task: TaskItem) -> [String: Value] {
        var out: [String: Value] = [
            "task_id": .string(task.id.rawValue), "title": .string(task.title), "completed": .bool(task.completed),
            "created_at": .string(task.createdAt.rfc3339),
        ]
        if let description = task.description { out["description"] = .string(description) }
        if let due = task.due {
            out["due"] = .string(due.iso)
            out["due_text"] = .string(DueText.absolute(due))
        }
        if let zone = task.timeZone { out["time_zone"] = .string(zone) }
        if let recurrence = task.recurrence {
            out["recurrence"] = .string(recurrence.rrule)
            out["recurrence_text"] = .string(recurrence.summary)
        }
        if let priority = task.priority { out["priority"] = .int(priority) }
        if !task.labels.isEmpty { out["labels"] = .array(task.labels.map { .string($0) }) }
        if let project = task.project { out["project"] = .string(project) }
        if let completedAt = task.completedAt { out["completed_at"] = .string(completedAt.rfc3339) }
        return out
    }
}
