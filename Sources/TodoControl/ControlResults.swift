public import TodoCore

// MARK: - Results

/// `status` result.
public struct StatusResult: Sendable, Hashable, Codable {
    /// todod's version.
    public var version: String
    /// The daemon's process id.
    public var pid: Int32
    /// Seconds since the daemon started.
    public var uptimeSeconds: Double
    /// The data directory.
    public var dataDirectory: String
    /// Where the store keeps the data: the data directory, or a PostgreSQL URL without its password
    /// (absent from daemons that predate it).
    public var storeLocation: String?
    /// The control socket path (or `fd:N` when inherited).
    public var controlSocket: String
    /// The HTTP listener, when there is one.
    public var http: String?
    /// The user this connection acts for.
    public var user: UserID
    /// The caller's role on the control socket (`member` or `operator`).
    public var role: ControlRole?
    /// The caller's task counts.
    public var tasks: TaskCounts
    /// Store statistics as the store reports them.
    public var store: JSONValue?
    /// Headline figures from the daemon's metrics registry, for operators (the numbers `GET /metrics` serves; absent from
    /// daemons that predate it).
    public var figures: [StatusFigure]?
    /// The caller's chat feedback: items rated thumbs up and down (absent from daemons that predate it).
    public var feedback: FeedbackCounts?

    /// - Parameters: see the properties.
    public init(
        version: String, pid: Int32, uptimeSeconds: Double, dataDirectory: String, controlSocket: String,
        http: String?, user: UserID, role: ControlRole? = nil, tasks: TaskCounts, store: JSONValue?, storeLocation: String? = nil,
        figures: [StatusFigure]? = nil, feedback: FeedbackCounts? = nil
    ) {
        self.figures = figures
        self.feedback = feedback
        self.version = version
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.dataDirectory = dataDirectory
        self.controlSocket = controlSocket
        self.http = http
        self.user = user
        self.role = role
        self.tasks = tasks
        self.store = store
        self.storeLocation = storeLocation
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, http, user, role, tasks, store, figures, feedback
        case uptimeSeconds = "uptime_seconds"
        case dataDirectory = "data_directory"
        case storeLocation = "store_location"
        case controlSocket = "control_socket"
    }
}

/// One headline figure of `status` (for example ChatKit turns, or the p50 time to the first text delta).
public struct StatusFigure: Sendable, Hashable, Codable {
    /// What it counts, for people (`chat turns`).
    public var name: String
    /// The value; nil when there is nothing to compute it from yet (a p50 before any sample).
    public var value: Double?
    /// The unit (`ms`, or empty for a count).
    public var unit: String

    /// - Parameters: see the properties.
    public init(name: String, value: Double?, unit: String = "") {
        self.name = name
        self.value = value
        self.unit = unit
    }
}

/// Task counts for one user.
public struct TaskCounts: Sendable, Hashable, Codable {
    /// All tasks.
    public var total: Int
    /// Not completed.
    public var pending: Int
    /// Completed.
    public var completed: Int

    /// - Parameters:
    ///   - total: all tasks.
    ///   - pending: not completed.
    ///   - completed: completed.
    public init(total: Int, pending: Int, completed: Int) {
        self.total = total
        self.pending = pending
        self.completed = completed
    }
}

/// `tasks.list` result.
public struct TaskListResult: Sendable, Hashable, Codable {
    /// The tasks, oldest first.
    public var tasks: [TaskItem]

    /// - Parameter tasks: the tasks.
    public init(tasks: [TaskItem]) {
        self.tasks = tasks
    }
}

/// `token.issue` result.
public struct TokenResult: Sendable, Hashable, Codable {
    /// The bearer token.
    public var token: String
    /// Whom it is for.
    public var user: UserID
    /// When it expires.
    public var expiresAt: Timestamp?

    /// - Parameters:
    ///   - token: the token.
    ///   - user: whom it is for.
    ///   - expiresAt: when it expires.
    public init(token: String, user: UserID, expiresAt: Timestamp?) {
        self.token = token
        self.user = user
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case token, user
        case expiresAt = "expires_at"
    }
}

/// `login.code` result: a one-time URL that signs the browser in.
public struct LoginCodeResult: Sendable, Hashable, Codable {
    /// The one-time code.
    public var code: String
    /// The URL to open (includes the code).
    public var url: String
    /// When the code expires.
    public var expiresAt: Timestamp?

    /// - Parameters:
    ///   - code: the code.
    ///   - url: the URL to open.
    ///   - expiresAt: when it expires.
    public init(code: String, url: String, expiresAt: Timestamp?) {
        self.code = code
        self.url = url
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case code, url
        case expiresAt = "expires_at"
    }
}

/// Result of `data.compact`, `data.backup`, `data.import` and `shutdown`: what happened, plus the store's detail.
public struct OperationResult: Sendable, Hashable, Codable {
    /// A one-line human summary.
    public var message: String
    /// Structured detail as the store reports it.
    public var detail: JSONValue?

    /// - Parameters:
    ///   - message: a one-line summary.
    ///   - detail: structured detail.
    public init(message: String, detail: JSONValue? = nil) {
        self.message = message
        self.detail = detail
    }
}

/// `events.subscribe` result; `events.task` notifications follow on the same connection.
public struct SubscribeResult: Sendable, Hashable, Codable {
    /// The notification method name that will carry the events.
    public var notification: String

    /// - Parameter notification: the notification method name.
    public init(notification: String = ControlMethods.taskEventNotification) {
        self.notification = notification
    }
}
