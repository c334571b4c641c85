import Synchronization

// MARK: - StorageBackend

/// An open file of a `StorageBackend`.
public struct StorageFile: Hashable, Sendable {
    /// The descriptor (a real fd for `POSIXStorage`, a handle number for `SimulatedDisk`).
    public let descriptor: Int32
    /// The path it was opened with, for error messages.
    public let path: String

    /// - Parameters:
    ///   - descriptor: the descriptor.
    ///   - path: the path it was opened with.
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }
}

/// How `StorageBackend.open` opens a file. Every mode writes at the end (`O_APPEND`) with mode 0600.
public enum StorageOpenMode: Sendable {
    /// Open for appending, creating the file when it is missing.
    case append
    /// Create a new file; fail with `EEXIST` when it exists (`O_EXCL`), for temp files.
    case createExclusive
}

/// The data directory lock held by one store; `release()` gives it up.
public final class StorageLock: Sendable {
    private let action: Mutex<(@Sendable () -> Void)?>

    /// - Parameter release: what releasing does (called at most once).
    public init(release: @escaping @Sendable () -> Void) {
        self.action = Mutex(release)
    }

    /// Releases the lock; later calls do nothing.
    public func release() {
        let run = action.withLock { value -> (@Sendable () -> Void)? in
            defer { value = nil }
            return value
        }
        run?()
    }
}

/// The small set of blocking disk operations the store needs. Every call may block, so the store only
/// calls them from its own I/O threads, never from Swift's cooperative pool.
///
/// `POSIXStorage` is the real disk; `SimulatedDisk` keeps synced and unsynced state apart so tests can crash
/// it and inject `EIO`/`ENOSPC`. Failures throw `StoreError` with code `.io`.
public protocol StorageBackend: Sendable {
    /// Creates a directory with mode 0700 (tightening an existing one to 0700). Does not sync its parent.
    func createDirectory(_ path: String) throws
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
    /// The names in a directory (without `.` and `..`).
    func list(_ directory: String) throws -> [String]
    /// A file's whole content.
    func read(_ path: String) throws -> [UInt8]
    /// A file's size with its first `head` and last `tail` bytes (fewer when the file is shorter; the two
    /// overlap when it is shorter than both together).
    func readEdges(_ path: String, head: Int, tail: Int) throws -> FileEdges
    /// Opens a file for appending (mode 0600 when created).
    func open(_ path: String, mode: StorageOpenMode) throws -> StorageFile
    /// Writes all of `bytes` at the end of the file.
    func write(_ file: StorageFile, _ bytes: [UInt8]) throws
    /// Flushes data and metadata.
    func fsync(_ file: StorageFile) throws
    /// Flushes data (and the size).
    func fdatasync(_ file: StorageFile) throws
    /// Cuts the file to `length` bytes.
    func truncate(_ file: StorageFile, to length: Int) throws
    /// Closes the file; errors are ignored (durability comes from the syncs before it).
    func close(_ file: StorageFile)
    /// Atomically renames `from` to `to` (replacing `to`).
    func rename(_ from: String, to: String) throws
    /// Flushes a directory's entries (after create, rename or remove).
    func fsyncDirectory(_ path: String) throws
    /// Removes a file.
    func remove(_ path: String) throws
    /// Takes the exclusive lock on a data directory.
    /// - Throws: `StoreError` with code `.locked` when another process holds it.
    func lock(directory: String) throws -> StorageLock
}

/// The start and the end of a file, for checks that need not read the whole of it.
public struct FileEdges: Sendable, Equatable {
    /// The file's size in bytes.
    public var size: Int
    /// Its first bytes.
    public var head: [UInt8]
    /// Its last bytes.
    public var tail: [UInt8]

    public init(size: Int, head: [UInt8], tail: [UInt8]) {
        self.size = size
        self.head = head
        self.tail = tail
    }
}

extension StorageBackend {
    /// Cuts the edges out of the whole file (a backend that can read ranges does better).
    public func readEdges(_ path: String, head: Int, tail: Int) throws -> FileEdges {
        let bytes = try read(path)
        return FileEdges(size: bytes.count, head: Array(bytes.prefix(head)), tail: Array(bytes.suffix(tail)))
    }
}

// MARK: - Path helpers

/// Joins path components with `/`.
func joinPath(_ parts: String...) -> String {
    var out = ""
    for part in parts where !part.isEmpty {
        if out.isEmpty || out.hasSuffix("/") { out += part } else { out += "/" + part }
    }
    return out
}

/// The parent directory of `path`.
func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
}
