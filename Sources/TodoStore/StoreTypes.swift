public import Foundation
import TodoCore

// MARK: - Options

/// How a `Store` behaves.
public struct StoreOptions: Sendable {
    /// Share one write + fdatasync among concurrent appends to the same file (default). When false, every
    /// append gets its own write and fdatasync (for the benchmark's comparison).
    public var groupCommit: Bool
    /// On a corrupt record followed by valid ones, move the file aside to `*.corrupt-<ts>` and keep its valid
    /// prefix, instead of refusing to open.
    public var repair: Bool
    /// Rewrite a file by itself when its dead lines outnumber its live ones.
    public var autoCompact: Bool
    /// Auto-compaction only considers files with at least this many lines.
    public var autoCompactMinimumLines: Int
    /// Take the data directory lock (`todod.lock`) on open.
    public var lockDirectory: Bool
    /// The zone a recurring task without its own zone moves on in (the daemon's zone).
    public var timeZone: TimeZone
    /// The daemon's store instruments (set by the composition root; records nothing by default).
    public var metrics: StoreMetrics = .disabled
    /// Let `Store.open` return before the data files are loaded when every file ended cleanly (the daemon
    /// sets it, so `READY=1` does not wait for a large store). Requests wait for the load; torn tails and
    /// leftover temp files are still recovered before `open` returns; a corrupt line in the middle of a file
    /// fail-stops the store when the load reaches it, instead of failing `open`. Off by default.
    public var deferLoading = false

    /// - Parameters:
    ///   - groupCommit: share fsyncs among concurrent writers.
    ///   - repair: quarantine corrupt files instead of refusing to open.
    ///   - autoCompact: compact when dead lines outnumber live ones.
    ///   - autoCompactMinimumLines: the minimum file size (in lines) for auto-compaction.
    ///   - lockDirectory: take the data directory lock.
    public init(groupCommit: Bool = true, repair: Bool = false, autoCompact: Bool = true, autoCompactMinimumLines: Int = 1000, lockDirectory: Bool = true,
                timeZone: TimeZone = .current) {
        self.timeZone = timeZone
        self.groupCommit = groupCommit
        self.repair = repair
        self.autoCompact = autoCompact
        self.autoCompactMinimumLines = autoCompactMinimumLines
        self.lockDirectory = lockDirectory
    }
}

// MARK: - Reports

/// What `Store.compact()` did.
public struct CompactionReport: Sendable, Codable, Hashable {
    /// Files rewritten.
    public var files: Int
    /// Lines before, in all rewritten files.
    public var linesBefore: Int
    /// Lines after.
    public var linesAfter: Int
}

/// What `Store.backup(to:)` wrote.
public struct BackupReport: Sendable, Codable, Hashable {
    /// The backup directory (a data directory `Store.open` can open).
    public var directory: String
    /// Users copied.
    public var users: Int
    /// Files written.
    public var files: Int
    /// Bytes written.
    public var bytes: Int
}

/// Counts for `status`.
public struct StoreStats: Sendable, Codable, Hashable {
    /// Users with any data.
    public var users: Int
    /// Tasks of all users.
    public var tasks: Int
    /// Chat threads of all users.
    public var threads: Int
    /// Thread items of all users.
    public var items: Int
    /// Bytes in all data files.
    public var bytes: Int
    /// Appends acknowledged since open.
    public var appends: Int = 0
    /// Write + fdatasync batches since open (fewer than `appends` when group commit shares them).
    public var syncs: Int = 0
    /// The data files by kind (`tasks`, `threads`), summed over users: bytes, lines and live lines (the file
    /// store only; the rest are lines compaction would drop).
    public var files: [StoreFileStats]?

    /// - Parameters: see the properties (`bytes` is the database's size for PostgreSQL).
    public init(users: Int, tasks: Int, threads: Int, items: Int, bytes: Int, appends: Int = 0, syncs: Int = 0) {
        self.users = users
        self.tasks = tasks
        self.threads = threads
        self.items = items
        self.bytes = bytes
        self.appends = appends
        self.syncs = syncs
    }
}

/// One kind of data file, summed over users (for `/metrics`).
public struct StoreFileStats: Sendable, Codable, Hashable {
    /// `tasks` or `threads`.
    public var file: String
    /// Bytes in those files.
    public var bytes: Int
    /// Lines after the header.
    public var lines: Int
    /// Lines compaction would keep.
    public var liveLines: Int

    /// - Parameters: see the properties.
    public init(file: String, bytes: Int, lines: Int, liveLines: Int) {
        self.file = file
        self.bytes = bytes
        self.lines = lines
        self.liveLines = liveLines
    }
}

/// What `Store.importAll(_:)` did. Conflict rule: an imported entry whose id already exists for that user
/// replaces it only when its `updated_at` (threads/items: `created_at`) is later; otherwise it is skipped.
public struct ImportReport: Sendable, Codable, Hashable {
    /// Tasks created.
    public var tasksAdded = 0
    /// Existing tasks replaced by a newer imported version.
    public var tasksUpdated = 0
    /// Imported tasks ignored because an equal or newer version exists.
    public var tasksSkipped = 0
    /// Threads created or replaced.
    public var threadsAdded = 0
    /// Threads ignored because they exist.
    public var threadsSkipped = 0
    /// Items created.
    public var itemsAdded = 0
    /// Items ignored because they exist.
    public var itemsSkipped = 0
    /// Undo entries restored (only into a user without undo history of their own).
    public var undoAdded = 0
    /// Undo entries ignored because the user already had an undo history here.
    public var undoSkipped = 0

    /// An empty report.
    public init() {}
}
