import Foundation
import TodoCore

// MARK: - Tasks in words

extension Output {
    /// The viewer's context: the system clock and zone.
    static var viewerContext: DateContext { DateContext(now: SystemWallClock().now(), zone: .current) }

    /// A table of tasks: ID, done mark, due (relative to now), priority, title with ↻, @labels and #project.
    static func table(_ tasks: [TaskItem], context: DateContext = viewerContext) -> String {
        guard !tasks.isEmpty else { return "No tasks." }
        let idWidth = max(2, tasks.map(\.id.rawValue.count).max() ?? 2)
        let dues = tasks.map { task in task.due.map { DueText.relative($0, in: context, completed: task.completed) } ?? "" }
        let dueWidth = max(3, dues.map(\.count).max() ?? 3)
        var lines = [pad("ID", idWidth) + "  DONE  " + pad("DUE", dueWidth) + "  P   TITLE"]
        for (task, due) in zip(tasks, dues) {
            let priority = task.priority.map { "p\($0)" } ?? "-"
            lines.append(pad(task.id.rawValue, idWidth) + "  " + (task.completed ? "[x]" : "[ ]") + "   " + pad(due, dueWidth) + "  "
                + pad(priority, 2) + "  " + titleLine(task))
        }
        return lines.joined(separator: "\n")
    }

    /// The title with its markers: `Pay rent ↻ @bills #home`.
    static func titleLine(_ task: TaskItem) -> String {
        var parts = [task.title]
        if task.recurrence != nil { parts.append("↻") }
        parts += task.labels.map { "@" + $0 }
        if let project = task.project { parts.append("#" + project) }
        return parts.joined(separator: " ")
    }

    /// What todoctl understood from an add, one line per field that is set (empty when only the title is).
    static func understood(_ task: TaskItem) -> String {
        var lines: [String] = []
        if let due = task.due { lines.append("  due:        " + DueText.absolute(due)) }
        if let rule = task.recurrence { lines.append("  repeats:    " + rule.summary) }
        if let p = task.priority { lines.append("  priority:   p\(p)") }
        if !task.labels.isEmpty { lines.append("  labels:     " + task.labels.map { "@" + $0 }.joined(separator: " ")) }
        if let project = task.project { lines.append("  project:    #" + project) }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    /// Every field of one task.
    static func detail(_ task: TaskItem, context: DateContext = viewerContext) -> String {
        var lines = ["id           \(task.id)", "title        \(task.title)"]
        if let description = task.description { lines.append("description  \(description)") }
        lines.append("completed    \(task.completed ? "yes" : "no")")
        if let due = task.due {
            lines.append("due          \(DueText.absolute(due)) (\(DueText.relative(due, in: context, completed: task.completed)))")
        }
        if let zone = task.timeZone { lines.append("time_zone    \(zone)") }
        if let rule = task.recurrence { lines.append("repeats      \(rule.summary) (\(rule.rrule))") }
        if let p = task.priority { lines.append("priority     p\(p)") }
        if !task.labels.isEmpty { lines.append("labels       " + task.labels.map { "@" + $0 }.joined(separator: " ")) }
        if let project = task.project { lines.append("project      #\(project)") }
        lines += ["created_at   \(task.createdAt)", "updated_at   \(task.updatedAt)"]
        if let done = task.completedAt { lines.append("completed_at \(done)") }
        return lines.joined(separator: "\n")
    }
}
