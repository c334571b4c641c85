// MARK: - TaskItem

/// One task of one user.
///
/// Encoded with snake_case keys (`created_at`, `updated_at`); `description` is omitted when nil.
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

    /// - Parameters:
    ///   - id: the id.
    ///   - title: the validated title.
    ///   - description: the validated description.
    ///   - completed: whether it is done.
    ///   - createdAt: creation time.
    ///   - updatedAt: last change.
    public init(id: TaskID, title: String, description: String?, completed: Bool, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.title = title
        self.description = description
        self.completed = completed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, completed
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

// MARK: - Inputs

/// What a caller supplies to create a task. `validated()` trims and checks it.
public struct TaskDraft: Hashable, Sendable, Codable {
    /// The title as given.
    public var title: String
    /// The description as given.
    public var description: String?

    /// - Parameters:
    ///   - title: the title as given.
    ///   - description: the description as given.
    public init(title: String, description: String? = nil) {
        self.title = title
        self.description = description
    }

    /// The trimmed, checked draft.
    /// - Throws: `TodoError.validation` naming `title` or `description`.
    public func validated() throws -> TaskDraft {
        TaskDraft(title: try TaskRules.title(title), description: try TaskRules.description(description))
    }
}

/// A partial update: nil fields stay as they are; an empty description clears it.
public struct TaskPatch: Hashable, Sendable, Codable {
    /// A new title, or nil to keep it.
    public var title: String?
    /// A new description, or nil to keep it; `""` clears it.
    public var description: String?
    /// A new completion state, or nil to keep it.
    public var completed: Bool?

    /// - Parameters:
    ///   - title: a new title.
    ///   - description: a new description (`""` clears).
    ///   - completed: a new completion state.
    public init(title: String? = nil, description: String? = nil, completed: Bool? = nil) {
        self.title = title
        self.description = description
        self.completed = completed
    }

    /// Whether the patch changes nothing.
    public var isEmpty: Bool { title == nil && description == nil && completed == nil }

    /// Applies the patch to `task`, validating each field it sets.
    /// - Parameters:
    ///   - task: the current task.
    ///   - now: the new `updated_at`.
    /// - Throws: `TodoError.validation` naming the field.
    public func applied(to task: TaskItem, at now: Timestamp) throws -> TaskItem {
        var out = task
        if let title { out.title = try TaskRules.title(title) }
        if let description { out.description = try TaskRules.description(description) }
        if let completed { out.completed = completed }
        out.updatedAt = now
        return out
    }
}

/// Which tasks a listing returns.
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

// MARK: - Rules

/// The validation rules for task fields.
public enum TaskRules {
    /// Longest title, in characters, after trimming.
    public static let maxTitle = 200
    /// Longest description, in characters, after trimming.
    public static let maxDescription = 1000

    /// Trims and checks a title.
    /// - Parameter raw: the title as given.
    public static func title(_ raw: String) throws -> String {
        let t = trim(raw)
        guard !t.isEmpty else { throw TodoError.validation(field: "title", "title must not be empty") }
        guard t.count <= maxTitle else { throw TodoError.validation(field: "title", "title must be at most \(maxTitle) characters") }
        return t
    }

    /// Trims and checks a description; empty becomes nil.
    /// - Parameter raw: the description as given.
    public static func description(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        let t = trim(raw)
        guard t.count <= maxDescription else {
            throw TodoError.validation(field: "description", "description must be at most \(maxDescription) characters")
        }
        return t.isEmpty ? nil : t
    }

    /// Drops leading and trailing Unicode `White_Space` scalars (scalar by scalar, so a space carrying a combining
    /// mark keeps the mark: a title is blank exactly when it has no scalar outside `White_Space`, which is what
    /// the HTTP contract's pattern says).
    static func trim(_ s: String) -> String {
        var sub = Substring(s).unicodeScalars
        while let f = sub.first, f.properties.isWhitespace { sub.removeFirst() }
        while let l = sub.last, l.properties.isWhitespace { sub.removeLast() }
        return String(Substring(sub))
    }
}
