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
    /// The user's undo history, oldest first (the newest is undone first). Omitted when empty.
    public var undo: [ExportedUndoEntry]

    /// - Parameters:
    ///   - user: the user.
    ///   - tasks: the tasks.
    ///   - threads: the threads.
    ///   - undo: the undo history, oldest first.
    public init(user: UserID, tasks: [TaskItem], threads: [ExportedThread] = [], undo: [ExportedUndoEntry] = []) {
        self.user = user
        self.tasks = tasks
        self.threads = threads
        self.undo = undo
    }

    enum CodingKeys: String, CodingKey {
        case user, tasks, threads, undo
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decode(UserID.self, forKey: .user)
        tasks = try c.decodeIfPresent([TaskItem].self, forKey: .tasks) ?? []
        threads = try c.decodeIfPresent([ExportedThread].self, forKey: .threads) ?? []
        undo = try c.decodeIfPresent([ExportedUndoEntry].self, forKey: .undo) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(user, forKey: .user)
        try c.encode(tasks, forKey: .tasks)
        try c.encode(threads, forKey: .threads)
        if !undo.isEmpty { try c.encode(undo, forKey: .undo) }
    }
}

/// One change the user can still undo, in an export: what was done, and the task it restores (for `created`, the
/// task that undo removes).
public struct ExportedUndoEntry: Sendable, Codable, Hashable {
    /// What the change did.
    public var action: TaskChange.Kind
    /// The task as undo needs it.
    public var task: TaskItem

    /// - Parameters:
    ///   - action: what the change did.
    ///   - task: the task as undo needs it.
    public init(action: TaskChange.Kind, task: TaskItem) {
        self.action = action
        self.task = task
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
