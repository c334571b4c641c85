import Foundation
import MCP
import TodoCore

// MARK: - Tool arguments → task values

/// Reads tool arguments (the contract's wire names) into drafts, patches and queries. Dates and
/// recurrences in words are resolved here, in the call's `DateContext`, so the model never does date
/// arithmetic. Every error is a `TodoError.validation` naming the argument.
struct TaskToolArguments {
    let args: [String: Value]
    let context: DateContext

    // MARK: Scalars

    /// Whether the key is present with JSON null (a clear on update).
    func isNull(_ key: String) -> Bool {
        if case .null? = args[key] { return true }
        return false
    }

    func string(_ key: String, required: Bool = false) throws -> String? {
        switch args[key] {
        case nil, .null?:
            if required { throw TodoError.validation(field: key, "\(key) is required") }
            return nil
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: throw TodoError.validation(field: key, "\(key) must be a string")
        }
    }

    func int(_ key: String) throws -> Int? {
        switch args[key] {
        case nil, .null?: return nil
        case .int(let i)?: return i
        case .double(let d)? where d == d.rounded() && abs(d) < 1e9: return Int(d)
        case .string(let s)?:
            guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw TodoError.validation(field: key, "\(key) must be a whole number") }
            return i
        default: throw TodoError.validation(field: key, "\(key) must be a whole number")
        }
    }

    func labels(_ key: String = "labels") throws -> [String]? {
        switch args[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let s) = item else { throw TodoError.validation(field: key, "\(key) must be a list of strings") }
                return s
            }
        case .string(let s)?: return s.split(separator: ",").map { String($0) }
        default: throw TodoError.validation(field: key, "\(key) must be a list of strings")
        }
    }

    func taskID() throws -> TaskID {
        try TaskID(try string("task_id", required: true)!)
    }

    // MARK: Dates

    /// A due input: ISO first, else words in the call's zone.
    func due(_ text: String) throws -> TaskDue {
        try WhenInput.due(text, in: context)
    }

    /// A recurrence input: RRULE first, else words (which also give the first due).
    func recurrence(_ text: String) throws -> (Recurrence, TaskDue?) {
        try WhenInput.recurrence(text, in: context)
    }

    /// A date bound for `due_before` / `due_after`: an ISO date or words, as a local date.
    func dateBound(_ key: String) throws -> LocalDate? {
        guard let text = try string(key)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return try WhenInput.date(text, field: key, in: context)
    }

    // MARK: add_task

    func draft() throws -> TaskDraft {
        var draft = TaskDraft(title: try string("title", required: true)!, description: try string("description"),
                              priority: try int("priority"), labels: try labels() ?? [], project: try string("project"))
        if let text = try string("due") { draft.due = try due(text) }
        if let text = try string("recurrence") {
            let (rule, first) = try recurrence(text)
            draft.recurrence = rule
            if draft.due == nil { draft.due = first }
        }
        if draft.due != nil { draft.timeZone = context.zone.identifier }
        return draft
    }

    // MARK: update_task

    /// The fields `clear` names (and JSON nulls) are removed; present fields are set; absent ones kept.
    func patch() throws -> TaskPatch {
        let clearable = ["description", "due", "priority", "labels", "project", "recurrence"]
        var cleared = Set(clearable.filter(isNull))
        if let list = try labels("clear") {
            for name in list {
                guard clearable.contains(name) else {
                    throw TodoError.validation(field: "clear", "clear may name only " + clearable.joined(separator: ", "))
                }
                cleared.insert(name)
            }
        }
        var patch = TaskPatch(title: try string("title"))
        if cleared.contains("description") { patch.description = "" } else { patch.description = try string("description") }
        if cleared.contains("priority") { patch.priority = .clear } else if let p = try int("priority") { patch.priority = .set(p) }
        if cleared.contains("labels") { patch.labels = [] } else { patch.labels = try labels() }
        if cleared.contains("project") { patch.project = .clear } else if let p = try string("project") { patch.project = .set(p) }
        if cleared.contains("due") { patch.due = .clear } else if let text = try string("due") { patch.due = .set(try due(text)) }
        if cleared.contains("recurrence") {
            patch.recurrence = .clear
        } else if let text = try string("recurrence") {
            let (rule, first) = try recurrence(text)
            patch.recurrence = .set(rule)
            if patch.due == nil, let first { patch.due = .set(first) }
        }
        if patch.due?.value != nil || patch.recurrence?.value != nil { patch.timeZone = .set(context.zone.identifier) }
        return patch
    }

    // MARK: list_tasks

    /// The contract's filters; `view` sets defaults that the explicit ones override.
    func query() throws -> TaskQuery {
        var query = TaskQuery()
        if let view = try string("view") {
            guard let v = TaskView(rawValue: view) else { throw TodoError.validation(field: "view", "view must be one of today, upcoming, all") }
            query = TaskQuery(view: v)
        }
        if let status = try string("status") { query.status = try TaskFilter(parsing: status) }
        if let due = try string("due") { query.due = try DueWindow(parsing: due) }
        if let before = try dateBound("due_before") { query.dueBefore = before }
        if let after = try dateBound("due_after") { query.dueAfter = after }
        if let priority = try int("priority") { query.priority = priority }
        if let label = try string("label") { query.label = label }
        if let project = try string("project") { query.project = project }
        if let text = try string("query") { query.text = text }
        if let sort = try string("sort") { query.sort = try TaskSort(parsing: sort) }
        if let limit = try int("limit") { query.limit = limit }
        do {
            return try query.validated()
        } catch let error as TodoError where error.field == "q" {
            throw TodoError.validation(field: "query", error.message)
        }
    }
}
