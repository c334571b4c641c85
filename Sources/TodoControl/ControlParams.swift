public import TodoCore

// MARK: - Parameters

/// Parameters of methods that take none (`status`, `data.compact`, `shutdown`, ...). Extra keys are ignored.
public struct EmptyParams: Sendable, Hashable, Codable {
    public init() {}
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
