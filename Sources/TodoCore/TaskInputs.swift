// MARK: - TaskDraft

/// What a caller supplies to create a task. `validated()` trims and checks it.
public struct TaskDraft: Hashable, Sendable {
    /// The title as given.
    public var title: String
    /// The description as given.
    public var description: String?
    /// When it is due.
    public var due: TaskDue?
    /// The IANA zone of a timed due or of a recurrence (where "today" is when it moves on).
    public var timeZone: String?
    /// 1...4.
    public var priority: Int?
    /// Label names.
    public var labels: [String]
    /// The project's name.
    public var project: String?
    /// How it repeats (needs `due`).
    public var recurrence: Recurrence?

    /// - Parameters:
    ///   - title: the title as given.
    ///   - description: the description as given.
    ///   - due: when it is due.
    ///   - timeZone: the zone of a timed due.
    ///   - priority: 1...4.
    ///   - labels: label names.
    ///   - project: the project.
    ///   - recurrence: how it repeats.
    public init(title: String, description: String? = nil, due: TaskDue? = nil, timeZone: String? = nil, priority: Int? = nil,
                labels: [String] = [], project: String? = nil, recurrence: Recurrence? = nil) {
        self.title = title
        self.description = description
        self.due = due
        self.timeZone = timeZone
        self.priority = priority
        self.labels = labels
        self.project = project
        self.recurrence = recurrence
    }

    /// The trimmed, checked draft.
    /// - Throws: `TodoError.validation` naming the first field that is wrong.
    public func validated() throws -> TaskDraft {
        if let timeZone { _ = try DateContext.zone(named: timeZone) }
        return TaskDraft(title: try TaskRules.title(title), description: try TaskRules.description(description), due: due,
                         timeZone: due?.instant == nil && recurrence == nil ? nil : timeZone, priority: try TaskRules.priority(priority),
                         labels: try TaskRules.labels(labels), project: try TaskRules.project(project),
                         recurrence: try TaskRules.recurrence(recurrence, due: due))
    }
}

// MARK: - TaskPatch

/// A change to one optional field: set it, or clear it.
public enum FieldEdit<Value: Hashable & Sendable>: Hashable, Sendable {
    case set(Value)
    case clear

    /// The new value (nil when clearing).
    public var value: Value? {
        if case .set(let v) = self { return v }
        return nil
    }
}

/// A partial update: nil fields stay as they are; `.clear` (or an empty description) removes a value.
public struct TaskPatch: Hashable, Sendable {
    /// A new title, or nil to keep it.
    public var title: String?
    /// A new description, or nil to keep it; `""` clears it.
    public var description: String?
    /// A new completion state, or nil to keep it.
    public var completed: Bool?
    /// A new due date, or clear.
    public var due: FieldEdit<TaskDue>?
    /// A new zone for a timed due, or clear.
    public var timeZone: FieldEdit<String>?
    /// A new priority, or clear.
    public var priority: FieldEdit<Int>?
    /// New labels (replacing all; an empty list clears).
    public var labels: [String]?
    /// A new project, or clear.
    public var project: FieldEdit<String>?
    /// A new recurrence, or clear.
    public var recurrence: FieldEdit<Recurrence>?

    /// - Parameters: each field to change; nil keeps it.
    public init(title: String? = nil, description: String? = nil, completed: Bool? = nil, due: FieldEdit<TaskDue>? = nil,
                timeZone: FieldEdit<String>? = nil, priority: FieldEdit<Int>? = nil, labels: [String]? = nil,
                project: FieldEdit<String>? = nil, recurrence: FieldEdit<Recurrence>? = nil) {
        self.title = title
        self.description = description
        self.completed = completed
        self.due = due
        self.timeZone = timeZone
        self.priority = priority
        self.labels = labels
        self.project = project
        self.recurrence = recurrence
    }

    /// Whether the patch changes nothing.
    public var isEmpty: Bool {
        title == nil && description == nil && completed == nil && due == nil && timeZone == nil && priority == nil
            && labels == nil && project == nil && recurrence == nil
    }

    /// Applies the fields (all but `completed`, which the caller handles: a recurring task moves on instead
    /// of finishing), validating each one it sets.
    /// - Parameters:
    ///   - task: the current task.
    ///   - now: the new `updated_at`.
    /// - Throws: `TodoError.validation` naming the field.
    public func applied(to task: TaskItem, at now: Timestamp) throws -> TaskItem {
        var out = task
        if let title { out.title = try TaskRules.title(title) }
        if let description { out.description = try TaskRules.description(description) }
        if let due { out.due = due.value }
        if let timeZone {
            if let name = timeZone.value { _ = try DateContext.zone(named: name) }
            out.timeZone = timeZone.value
        }
        if let priority { out.priority = try TaskRules.priority(priority.value) }
        if let labels { out.labels = try TaskRules.labels(labels) }
        if let project { out.project = try TaskRules.project(project.value) }
        if let recurrence {
            out.recurrence = recurrence.value
        }
        if out.recurrence != nil && (recurrence != nil || due != nil) {
            out.recurrence = try TaskRules.recurrence(out.recurrence, due: out.due)
        }
        if out.due?.instant == nil && out.recurrence == nil { out.timeZone = nil }
        if let completed, completed != task.completed {
            out.completed = completed
            out.completedAt = completed ? now : nil
        }
        out.updatedAt = now
        return out
    }
}
