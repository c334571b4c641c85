public import Foundation
public import TodoCore

// MARK: - Wire params → model

/// The one place the control socket turns wire parameters into `TaskDraft`, `TaskPatch` and `TaskQuery`.
/// Dates and recurrences are read as the CONTRACT says: ISO / RRULE first, else plain words in the request's
/// `DateContext`. Every error is `TodoError.validation` naming the wire field.
public enum ControlTaskMapping {
    /// The request's date context: the daemon's clock and the caller's zone (the daemon's own when absent).
    /// - Parameters:
    ///   - timeZone: the `time_zone` param.
    ///   - now: the daemon's clock reading.
    ///   - fallback: the zone when none was given.
    /// - Throws: `TodoError.validation(field: "time_zone")` for an unknown zone.
    public static func context(timeZone: String?, now: Timestamp, fallback: TimeZone = .current) throws -> DateContext {
        DateContext(now: now, zone: try timeZone.map { try DateContext.zone(named: $0) } ?? fallback)
    }

    /// The draft for `tasks.add`.
    /// - Parameters:
    ///   - p: the params.
    ///   - context: now and the caller's zone.
    public static func draft(_ p: AddTaskParams, in context: DateContext) throws -> TaskDraft {
        try checkTitleOrText(p)
        var draft = try p.text.map { try QuickAdd.parse($0, in: context).draft } ?? TaskDraft(title: p.title ?? "")
        if let d = p.description { draft.description = d }
        if let text = p.due { draft.due = try due(text, in: context) }
        if let text = p.recurrence {
            let (rule, first) = try recurrence(text, in: context)
            draft.recurrence = rule
            if p.due == nil, let first { draft.due = first }
        }
        if let priority = p.priority { draft.priority = priority }
        if let labels = p.labels { draft.labels = labels }
        if let project = p.project { draft.project = project }
        if draft.due?.instant != nil || draft.recurrence != nil { draft.timeZone = context.zone.identifier }
        return try draft.validated()
    }

    /// Exactly one of `title` and `text` (checked when the line is decoded, and again here).
    /// - Parameter p: the params.
    /// - Throws: `TodoError.validation` on `title` (neither) or `text` (both).
    public static func checkTitleOrText(_ p: AddTaskParams) throws {
        switch (p.title, p.text) {
        case (.some, .some): throw TodoError.validation(field: "text", "give either title or text (quick add), not both")
        case (nil, nil): throw TodoError.validation(field: "title", "title (or quick-add text) is required")
        default: break
        }
    }

    /// The patch for `tasks.update`.
    /// - Parameters:
    ///   - p: the params.
    ///   - context: now and the caller's zone.
    /// - Throws: also when nothing would change (field `title`).
    public static func patch(_ p: UpdateTaskParams, in context: DateContext) throws -> TaskPatch {
        var patch = TaskPatch(title: p.title, completed: p.completed)
        switch p.description {
        case .absent: break
        case .null: patch.description = ""
        case .value(let d): patch.description = d
        }
        patch.due = try p.due.edit { try due($0, in: context) }
        if case .value(let text) = p.recurrence {
            let (rule, first) = try recurrence(text, in: context)
            patch.recurrence = .set(rule)
            if !p.due.isPresent, let first { patch.due = .set(first) }
        } else if case .null = p.recurrence {
            patch.recurrence = .clear
        }
        patch.priority = p.priority.edit { $0 }
        switch p.labels {
        case .absent: break
        case .null: patch.labels = []
        case .value(let labels): patch.labels = labels
        }
        patch.project = p.project.edit { $0 }
        if p.timeZone != nil || patch.due?.value?.instant != nil || patch.recurrence?.value != nil {
            patch.timeZone = .set(context.zone.identifier)
        }
        guard !patch.isEmpty else {
            throw TodoError.validation(field: "title", "nothing to change: give title, description, due, priority, labels, project, recurrence or completed")
        }
        return patch
    }

    /// The query for `tasks.list`: the view's defaults, then every explicit filter.
    /// - Parameters:
    ///   - p: the params.
    ///   - context: now and the caller's zone.
    public static func query(_ p: ListTasksParams, in context: DateContext) throws -> TaskQuery {
        var query = TaskQuery()
        if let view = p.view {
            guard let v = TaskView(rawValue: view) else {
                throw TodoError.validation(field: "view", "view must be one of " + TaskView.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query = TaskQuery(view: v)
        }
        if let status = p.status { query.status = status }
        if let due = p.due { query.due = try DueWindow(parsing: due) }
        if let text = p.dueBefore { query.dueBefore = try localDate(text, field: "due_before", in: context) }
        if let text = p.dueAfter { query.dueAfter = try localDate(text, field: "due_after", in: context) }
        if let priority = p.priority { query.priority = priority }
        if let label = p.label { query.label = label }
        if let project = p.project { query.project = project }
        if let q = p.q { query.text = q }
        if let sort = p.sort { query.sort = try TaskSort(parsing: sort) }
        if let limit = p.limit { query.limit = limit }
        return try query.validated()
    }

    // MARK: Values

    /// A due input: ISO first, else words.
    /// - Parameters:
    ///   - text: the input.
    ///   - context: now and the zone for words.
    /// - Throws: `TodoError.validation(field: "due")`.
    public static func due(_ text: String, in context: DateContext) throws -> TaskDue {
        try WhenInput.due(text, in: context)
    }

    /// A recurrence input: an RRULE first, else words (which also give the first due).
    /// - Parameters:
    ///   - text: the input.
    ///   - context: now and the zone for words.
    /// - Throws: `TodoError.validation(field: "recurrence")`.
    public static func recurrence(_ text: String, in context: DateContext) throws -> (Recurrence, TaskDue?) {
        try WhenInput.recurrence(text, in: context)
    }

    /// A date bound (`due_before`, `due_after`): an ISO date, else words (the date part of what they name).
    /// - Parameters:
    ///   - text: the input.
    ///   - field: the wire name for errors.
    ///   - context: now and the zone for words.
    public static func localDate(_ text: String, field: String, in context: DateContext) throws -> LocalDate {
        try WhenInput.date(text, field: field, in: context)
    }
}
