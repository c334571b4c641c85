public import TodoCore

// MARK: - ExportDocument

/// Every user's tasks and threads as one JSON document (`data.export` / `data.import`).
///
/// ```json
/// {"format":"todod.export","version":1,"exported_at":"…","users":[{"user":"alice","tasks":[…],"threads":[…]}]}
/// ```
public struct ExportDocument: Sendable, Codable, Hashable {
    /// Always `todod.export`.
    public var format: String
    /// The export format version (1).
    public var version: Int
    /// When the export was made.
    public var exportedAt: Timestamp
    /// One entry per user, sorted by user id.
    public var users: [ExportedUser]

    /// - Parameters:
    ///   - exportedAt: when the export was made.
    ///   - users: the users' data.
    public init(exportedAt: Timestamp, users: [ExportedUser]) {
        self.format = "todod.export"
        self.version = 1
        self.exportedAt = exportedAt
        self.users = users
    }

    enum CodingKeys: String, CodingKey {
        case format, version, users
        case exportedAt = "exported_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == "todod.export" else {
            throw TodoError.validation(field: "format", "not a todod export (format must be \"todod.export\")")
        }
        version = try c.decode(Int.self, forKey: .version)
        guard version == 1 else { throw TodoError.validation(field: "version", "unsupported export version \(version)") }
        exportedAt = try c.decode(Timestamp.self, forKey: .exportedAt)
        users = try c.decode([ExportedUser].self, forKey: .users)
    }
}

/// One user's data in an export.
public struct ExportedUser: Sendable, Codable, Hashable {
    /// The user.
    public var user: UserID
    /// The user's tasks, oldest first.
    public var tasks: [TaskItem]
    /// The user's chat threads with their items.
    public var threads: [ExportedThread]

    /// - Parameters:
    ///   - user: the user.
    ///   - tasks: the tasks.
    ///   - threads: the threads.
    public init(user: UserID, tasks: [TaskItem], threads: [ExportedThread] = []) {
        self.user = user
        self.tasks = tasks
        self.threads = threads
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decode(UserID.self, forKey: .user)
        tasks = try c.decodeIfPresent([TaskItem].self, forKey: .tasks) ?? []
        threads = try c.decodeIfPresent([ExportedThread].self, forKey: .threads) ?? []
    }
}

/// One thread and its items in an export.
public struct ExportedThread: Sendable, Codable, Hashable {
    /// The thread.
    public var thread: StoredThread
    /// Its items, in order.
    public var items: [StoredItem]

    /// - Parameters:
    ///   - thread: the thread.
    ///   - items: its items in order.
    public init(thread: StoredThread, items: [StoredItem]) {
        self.thread = thread
        self.items = items
    }
}
