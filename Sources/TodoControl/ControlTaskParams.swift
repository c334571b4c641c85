public import TodoCore

// MARK: - Task parameters (task model v2)

/// `tasks.add` parameters: the CONTRACT's create shape (`title` or quick-add `text`, plus explicit fields that
/// override what quick add found), `request_id` and the caller's `time_zone`. Dates and recurrences arrive as
/// text (ISO / RRULE or plain words) and are resolved by the daemon (`ControlTaskMapping.draft`).
public struct AddTaskParams: Sendable, Hashable, Codable {
    /// The title (exclusive with `text`).
    public var title: String?
    /// A quick-add line (`Pay rent every month on the 1st p1 @bills #home`), exclusive with `title`.
    public var text: String?
    /// An optional description.
    public var description: String?
    /// The due date: ISO (`2026-12-01`, `2026-12-01T17:00:00+01:00`) or words (`tomorrow 5pm`).
    public var due: String?
    /// 1 (highest) to 4.
    public var priority: Int?
    /// Label names.
    public var labels: [String]?
    /// The project's name.
    public var project: String?
    /// How it repeats: an RRULE (`FREQ=WEEKLY`) or words (`every monday`).
    public var recurrence: String?
    /// The caller's IANA zone, for words and for the task's zone; the daemon's zone when absent.
    public var timeZone: String?
    /// A client idempotency key: repeating it returns the task it created.
    public var requestID: String?

    /// - Parameters: each field; see the properties.
    public init(title: String? = nil, text: String? = nil, description: String? = nil, due: String? = nil, priority: Int? = nil,
                labels: [String]? = nil, project: String? = nil, recurrence: String? = nil, timeZone: String? = nil,
                requestID: String? = nil) {
        self.title = title
        self.text = text
        self.description = description
        self.due = due
        self.priority = priority
        self.labels = labels
        self.project = project
        self.recurrence = recurrence
        self.timeZone = timeZone
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case title, text, description, due, priority, labels, project, recurrence
        case timeZone = "time_zone"
        case requestID = "request_id"
    }
}

/// `tasks.list` parameters: the CONTRACT's list filters. `view` sets defaults that the other fields override.
public struct ListTasksParams: Sendable, Hashable, Codable {
    /// Which tasks by completion; `all` when absent (or the view's default).
    public var status: TaskFilter?
    /// `today`, `upcoming` or `all`.
    public var view: String?
    /// A due window name (`overdue`, `today`, `today_or_overdue`, `tomorrow`, `next_7_days`, `upcoming`, `any`, `none`).
    public var due: String?
    /// Due before this date (ISO date or words).
    public var dueBefore: String?
    /// Due after this date (ISO date or words).
    public var dueAfter: String?
    /// Exactly this priority.
    public var priority: Int?
    /// Carries this label.
    public var label: String?
    /// In this project.
    public var project: String?
    /// Text search in title and description.
    public var q: String?
    /// `due`, `priority` or `created`.
    public var sort: String?
    /// At most this many (1-100000).
    public var limit: Int?
    /// The caller's IANA zone ("today" is read there).
    public var timeZone: String?

    /// - Parameters: each filter; see the properties.
    public init(status: TaskFilter? = nil, view: String? = nil, due: String? = nil, dueBefore: String? = nil, dueAfter: String? = nil,
                priority: Int? = nil, label: String? = nil, project: String? = nil, q: String? = nil, sort: String? = nil,
                limit: Int? = nil, timeZone: String? = nil) {
        self.status = status
        self.view = view
        self.due = due
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
        self.priority = priority
        self.label = label
        self.project = project
        self.q = q
        self.sort = sort
        self.limit = limit
        self.timeZone = timeZone
    }

    enum CodingKeys: String, CodingKey {
        case status, view, due, priority, label, project, q, sort, limit
        case dueBefore = "due_before"
        case dueAfter = "due_after"
        case timeZone = "time_zone"
    }
}

/// `tasks.update` parameters: the id and the fields to change. An absent key keeps the field, `null` clears
/// description, due, priority, project, recurrence (and labels, like `[]`).
public struct UpdateTaskParams: Sendable, Hashable, Codable {
    /// The task id.
    public var id: TaskID
    /// A new title.
    public var title: String?
    /// A new description, or null (or `""`) to clear it.
    public var description: Patchable<String> = .absent
    /// A new due date (ISO or words), or null.
    public var due: Patchable<String> = .absent
    /// A new priority, or null.
    public var priority: Patchable<Int> = .absent
    /// New labels (replacing all), `[]` or null to clear.
    public var labels: Patchable<[String]> = .absent
    /// A new project, or null.
    public var project: Patchable<String> = .absent
    /// A new recurrence (RRULE or words), or null.
    public var recurrence: Patchable<String> = .absent
    /// A new completion state.
    public var completed: Bool?
    /// The caller's IANA zone (for words; stored on the task with a timed due or a recurrence).
    public var timeZone: String?
    /// An idempotency key (a retried completion of a recurring task does not skip an occurrence).
    public var requestID: String?

    /// - Parameters: each field; see the properties.
    public init(id: TaskID, title: String? = nil, description: Patchable<String> = .absent, due: Patchable<String> = .absent,
                priority: Patchable<Int> = .absent, labels: Patchable<[String]> = .absent, project: Patchable<String> = .absent,
                recurrence: Patchable<String> = .absent, completed: Bool? = nil, timeZone: String? = nil, requestID: String? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.due = due
        self.priority = priority
        self.labels = labels
        self.project = project
        self.recurrence = recurrence
        self.completed = completed
        self.timeZone = timeZone
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, due, priority, labels, project, recurrence, completed
        case timeZone = "time_zone"
        case requestID = "request_id"
    }
}

/// `tasks.complete` parameters; `completed: false` reopens the task.
public struct CompleteTaskParams: Sendable, Hashable, Codable {
    /// The task id.
    public var id: TaskID
    /// The new state; `true` when absent.
    public var completed: Bool?
    /// An idempotency key: a retried completion of a recurring task does not skip an occurrence.
    public var requestID: String?

    /// - Parameters:
    ///   - id: the task id.
    ///   - completed: the new state.
    ///   - requestID: the idempotency key.
    public init(id: TaskID, completed: Bool? = nil, requestID: String? = nil) {
        self.id = id
        self.completed = completed
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case id, completed
        case requestID = "request_id"
    }
}
