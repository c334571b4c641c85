// MARK: - TaskItem

/// One task of one user (task format version 2; see `data/README.md`).
///
/// Encoded with snake_case keys; optional fields are omitted when nil and `labels` when empty, so a
/// version 1 task encodes exactly as before.
public struct TaskItem: Hashable, Sendable, Codable {
    /// The task's id, unique per user.
    public var id: TaskID
    /// 1-200 characters after trimming.
    public var title: String
    /// At most 1,000 characters; nil when absent.
    public var description: String?
    /// Whether the task is done.
    public var completed: Bool
    /// When it was created.
    public var createdAt: Timestamp
    /// When it last changed.
    public var updatedAt: Timestamp
    /// When it is due.
    public var due: TaskDue?
    /// The IANA zone a timed due and its recurrence follow (keeps "9:00" at 9:00 across daylight-saving changes).
    public var timeZone: String?
    /// 1 (highest) to 4; nil for none.
    public var priority: Int?
    /// Lowercase label names, sorted, unique.
    public var labels: [String]
    /// The project's name.
    public var project: String?
    /// How the task repeats (needs `due`).
    public var recurrence: Recurrence?
    /// When it was last completed: the completion of a done task, or of the last occurrence of a recurring one.
    public var completedAt: Timestamp?
    /// The request id of the last recurring completion (so a retried completion does not skip an occurrence).
    /// Stored, never encoded in API output.
    public var completionRequestID: String?

    /// - Parameters:
    ///   - id: the id.
    ///   - title: the validated title.
    ///   - description: the validated description.
    ///   - completed: whether it is done.
    ///   - createdAt: creation time.
    ///   - updatedAt: last change.
    ///   - fields: the version 2 fields.
    public init(id: TaskID, title: String, description: String?, completed: Bool, createdAt: Timestamp, updatedAt: Timestamp,
                due: TaskDue? = nil, timeZone: String? = nil, priority: Int? = nil, labels: [String] = [], project: String? = nil,
                recurrence: Recurrence? = nil, completedAt: Timestamp? = nil, completionRequestID: String? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.completed = completed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.due = due
        self.timeZone = timeZone
        self.priority = priority
        self.labels = labels
        self.project = project
        self.recurrence = recurrence
        self.completedAt = completedAt
        self.completionRequestID = completionRequestID
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, completed, due, priority, labels, project, recurrence
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case timeZone = "time_zone"
        case completedAt = "completed_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(TaskID.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        completed = try c.decode(Bool.self, forKey: .completed)
        createdAt = try c.decode(Timestamp.self, forKey: .createdAt)
        updatedAt = try c.decode(Timestamp.self, forKey: .updatedAt)
        due = try c.decodeIfPresent(TaskDue.self, forKey: .due)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        priority = try c.decodeIfPresent(Int.self, forKey: .priority)
        labels = try c.decodeIfPresent([String].self, forKey: .labels) ?? []
        project = try c.decodeIfPresent(String.self, forKey: .project)
        recurrence = try c.decodeIfPresent(Recurrence.self, forKey: .recurrence)
        completedAt = try c.decodeIfPresent(Timestamp.self, forKey: .completedAt)
        completionRequestID = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(completed, forKey: .completed)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(due, forKey: .due)
        try c.encodeIfPresent(timeZone, forKey: .timeZone)
        try c.encodeIfPresent(priority, forKey: .priority)
        if !labels.isEmpty { try c.encode(labels, forKey: .labels) }
        try c.encodeIfPresent(project, forKey: .project)
        try c.encodeIfPresent(recurrence, forKey: .recurrence)
        try c.encodeIfPresent(completedAt, forKey: .completedAt)
    }

    /// Checks the version 2 fields of a task read from elsewhere (an import): each must be what a surface
    /// could have stored.
    /// - Throws: `TodoError.validation` naming the field.
    public func validated() throws -> TaskItem {
        var out = self
        out.title = try TaskRules.title(title)
        out.description = try TaskRules.description(description)
        out.priority = try TaskRules.priority(priority)
        out.labels = try TaskRules.labels(labels)
        out.project = try TaskRules.project(project)
        if let timeZone { _ = try DateContext.zone(named: timeZone) }
        if recurrence != nil && due == nil { throw TodoError.validation(field: "recurrence", "a recurring task needs a due date") }
        return out
    }
}

/// Which tasks a listing returns, by completion.
public enum TaskFilter: String, Sendable, Codable, CaseIterable {
    case all, pending, completed

    /// Parses `all|pending|completed`.
    /// - Parameter raw: the text; nil means `all`.
    /// - Throws: `TodoError.validation(field: "status", ...)`.
    public init(parsing raw: String?) throws {
        guard let raw else { self = .all; return }
        guard let value = TaskFilter(rawValue: raw) else {
            throw TodoError.validation(field: "status", "status must be one of all, pending, completed")
        }
        self = value
    }

    /// Whether `task` passes the filter.
    /// - Parameter task: the task.
    public func matches(_ task: TaskItem) -> Bool {
        switch self {
        case .all: true
        case .pending: !task.completed
        case .completed: task.completed
        }
    }
}
