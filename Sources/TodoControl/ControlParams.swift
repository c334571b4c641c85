public import TodoCore

// MARK: - Parameters

/// Parameters of methods that take none (`status`, `data.compact`, `shutdown`, ...). Extra keys are ignored.
public struct EmptyParams: Sendable, Hashable, Codable {
    public init() {}
}

/// `tasks.add` parameters.
public struct AddTaskParams: Sendable, Hashable, Codable {
    /// The title (validated by the repository).
    public var title: String
    /// An optional description.
    public var description: String?
    /// A client idempotency key: repeating it returns the task it created.
    public var requestID: String?

    /// - Parameters:
    ///   - title: the title.
    ///   - description: the description.
    ///   - requestID: the idempotency key.
    public init(title: String, description: String? = nil, requestID: String? = nil) {
        self.title = title
        self.description = description
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case title, description
        case requestID = "request_id"
    }
}

/// `tasks.list` parameters.
public struct ListTasksParams: Sendable, Hashable, Codable {
    /// Which tasks; `all` when absent.
    public var status: TaskFilter?

    /// - Parameter status: the filter.
    public init(status: TaskFilter? = nil) {
        self.status = status
    }
}

/// Parameters naming one task (`tasks.get`, `tasks.delete`).
public struct TaskIDParams: Sendable, Hashable, Codable {
    /// The task id.
    public var id: TaskID

    /// - Parameter id: the task id.
    public init(id: TaskID) {
        self.id = id
    }
}

/// `tasks.update` parameters: the id and the fields to change.
public struct UpdateTaskParams: Sendable, Hashable, Codable {
    /// The task id.
    public var id: TaskID
    /// A new title.
    public var title: String?
    /// A new description (`""` clears it).
    public var description: String?
    /// A new completion state.
    public var completed: Bool?

    /// - Parameters:
    ///   - id: the task id.
    ///   - title: a new title.
    ///   - description: a new description.
    ///   - completed: a new completion state.
    public init(id: TaskID, title: String? = nil, description: String? = nil, completed: Bool? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.completed = completed
    }

    /// The patch these parameters describe.
    public var patch: TaskPatch { TaskPatch(title: title, description: description, completed: completed) }
}

/// `tasks.complete` parameters; `completed: false` reopens the task.
public struct CompleteTaskParams: Sendable, Hashable, Codable {
    /// The task id.
    public var id: TaskID
    /// The new state; `true` when absent.
    public var completed: Bool?

    /// - Parameters:
    ///   - id: the task id.
    ///   - completed: the new state.
    public init(id: TaskID, completed: Bool? = nil) {
        self.id = id
        self.completed = completed
    }
}

/// `token.issue` parameters.
public struct IssueTokenParams: Sendable, Hashable, Codable {
    /// Lifetime in seconds; the daemon's default when absent.
    public var ttlSeconds: Int?
    /// The user the token is for; the caller when absent (only root or the daemon's uid may name another).
    public var user: UserID?

    /// - Parameters:
    ///   - ttlSeconds: lifetime in seconds.
    ///   - user: the user.
    public init(ttlSeconds: Int? = nil, user: UserID? = nil) {
        self.ttlSeconds = ttlSeconds
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case user
        case ttlSeconds = "ttl_seconds"
    }
}

/// `data.backup` parameters.
public struct BackupParams: Sendable, Hashable, Codable {
    /// The directory to write the consistent copy into (absolute path, as the daemon sees it).
    public var directory: String

    /// - Parameter directory: the target directory.
    public init(directory: String) {
        self.directory = directory
    }
}

/// `data.import` parameters.
public struct ImportParams: Sendable, Hashable, Codable {
    /// The export document, as `data.export` returned it.
    public var data: JSONValue

    /// - Parameter data: the export document.
    public init(data: JSONValue) {
        self.data = data
    }
}
