// MARK: - Imported todos as tasks

extension ImportedTodo {
    /// The task this todo becomes: the draft's fields, its completion, `CREATED`/`LAST-MODIFIED` when present
    /// (else `now`; `updated_at` never before `created_at`).
    /// - Parameters:
    ///   - id: the id to give it.
    ///   - now: the time of the import.
    public func taskItem(id: TaskID, now: Timestamp) -> TaskItem {
        let created = createdAt ?? now
        let updated = max(updatedAt ?? now, created)
        let done = completed ? (completedAt ?? now) : completedAt
        return TaskItem(id: id, title: draft.title, description: draft.description, completed: completed, createdAt: created,
                        updatedAt: updated, due: draft.due, timeZone: draft.due?.instant == nil ? nil : draft.timeZone,
                        priority: draft.priority, labels: draft.labels, project: draft.project, recurrence: draft.recurrence,
                        completedAt: done)
    }
}

extension ICalendar {
    /// The tasks an import adds or replaces for one user: a todo whose `UID` is `<id>@todod` keeps that id (so
    /// importing an export again meets the same tasks: the store keeps whichever copy changed last); any other
    /// todo gets a fresh id. Two todos naming the same id: the later one gets a fresh id.
    /// - Parameters:
    ///   - todos: what `importTodos` read.
    ///   - now: the time of the import.
    ///   - generator: the random source for fresh ids.
    public static func tasks<G: RandomNumberGenerator>(from todos: [ImportedTodo], now: Timestamp, using generator: inout G) -> [TaskItem] {
        var used = Set<TaskID>()
        var out: [TaskItem] = []
        for todo in todos {
            var id = todo.taskID ?? TaskID.random(using: &generator)
            while used.contains(id) { id = TaskID.random(using: &generator) }
            used.insert(id)
            out.append(todo.taskItem(id: id, now: now))
        }
        return out
    }

    /// `tasks(from:now:using:)` with the system random source.
    /// - Parameters:
    ///   - todos: what `importTodos` read.
    ///   - now: the time of the import.
    public static func tasks(from todos: [ImportedTodo], now: Timestamp) -> [TaskItem] {
        var rng = SystemRandomNumberGenerator()
        return tasks(from: todos, now: now, using: &rng)
    }
}
