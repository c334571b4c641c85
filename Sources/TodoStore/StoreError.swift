#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - StoreError

/// The one error type of TodoStore: I/O failures, corruption found during recovery, a locked data
/// directory, and the fail-stop state. Domain errors (validation, not found) stay `TodoError`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of store error this is. Compare with the static members (`error.code == .corruptRecord`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case io, corruptRecord, unsupportedVersion, locked, stopped, closed, invalidArgument
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A system call failed (write, fsync, rename, open, …).
        public static let io = Code(.io)
        /// A record in the middle of a file is not valid; `path` and `line` name it.
        public static let corruptRecord = Code(.corruptRecord)
        /// A file was written by a newer, unknown format version.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// Another process holds the data directory lock.
        public static let locked = Code(.locked)
        /// The store fail-stopped after an I/O error and acknowledges nothing any more.
        public static let stopped = Code(.stopped)
        /// The store was closed.
        public static let closed = Code(.closed)
        /// A caller-supplied argument (for example a backup directory) is unusable.
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String { base.rawValue }
    }

    /// The kind of error.
    public let code: Code
    /// A human-readable message naming what failed.
    public let message: String
    /// The file or directory involved, if any.
    public let path: String?
    /// The 1-based line number, for `corruptRecord`.
    public let line: Int?
    /// The `errno` value, for `io`.
    public let errno: Int32?
    /// The underlying error, if any (for `stopped`, the I/O error that caused it).
    public let cause: (any Error)?

    init(_ code: Code, _ message: String, path: String? = nil, line: Int? = nil, errno: Int32? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.errno = errno
        self.cause = cause
    }

    public var description: String {
        var text = message
        if let cause, code == .stopped { text += " (cause: \(cause))" }
        return text
    }

    // MARK: Factories

    /// A failed system call.
    /// - Parameters:
    ///   - operation: the call (`write`, `fdatasync`, `rename`, …).
    ///   - path: the file or directory.
    ///   - errno: the error number.
    public static func io(_ operation: String, path: String, errno: Int32) -> StoreError {
        StoreError(.io, "\(operation) failed on \(path): \(errnoName(errno)) (\(String(cString: strerror(errno))))", path: path, errno: errno)
    }

    /// A corrupt record followed by valid ones.
    /// - Parameters:
    ///   - path: the file.
    ///   - line: the 1-based line number.
    ///   - reason: why the line is invalid.
    public static func corruptRecord(path: String, line: Int, reason: String) -> StoreError {
        StoreError(
            .corruptRecord,
            "corrupt record in \(path) at line \(line): \(reason); valid records follow it, so it is not a torn write. "
                + "Refusing to start; run with --repair to move the file aside and keep its valid prefix",
            path: path, line: line)
    }

    /// The store has stopped after an I/O error.
    /// - Parameter cause: the error that stopped it.
    public static func stopped(_ cause: any Error) -> StoreError {
        StoreError(.stopped, "store stopped after an I/O error; nothing is acknowledged any more; restart to recover", cause: cause)
    }

    static let closedStore = StoreError(.closed, "store is closed")
}

/// `EIO`, `ENOSPC`, … for messages.
func errnoName(_ value: Int32) -> String {
    switch value {
    case EIO: "EIO"
    case ENOSPC: "ENOSPC"
    case ENOENT: "ENOENT"
    case EEXIST: "EEXIST"
    case EACCES: "EACCES"
    case EWOULDBLOCK: "EWOULDBLOCK"
    case EROFS: "EROFS"
    case EDQUOT: "EDQUOT"
    default: "errno \(value)"
    }
}
