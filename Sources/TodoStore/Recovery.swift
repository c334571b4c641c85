import Logging
import TodoCore

// MARK: - Recovery

/// What recovery found for one user.
struct RecoveredUser: Sendable {
    var tasks = TaskTable()
    var threads = ThreadTable()
    /// The file's size after recovery, or nil when the file does not exist.
    var taskFileSize: Int?
    var threadFileSize: Int?
}

/// Loads a data directory: creates it (0700) when missing, cuts torn tails, refuses (or quarantines)
/// corrupt files. Runs on an I/O thread; everything here blocks.
struct Recovery {
    let directory: String
    let backend: any StorageBackend
    let repair: Bool
    let logger: Logger
    let now: Timestamp

    var usersDirectory: String { joinPath(directory, "users") }

    func run() throws -> [UserID: RecoveredUser] {
        try ensureDirectories()
        var out: [UserID: RecoveredUser] = [:]
        for name in try backend.list(usersDirectory) {
            guard let user = try? UserID(name) else {
                logger.warning("ignoring unexpected entry in users directory", metadata: ["todo.path": "\(joinPath(usersDirectory, name))"])
                continue
            }
            let userDirectory = joinPath(usersDirectory, name)
            var recovered = RecoveredUser()
            for entry in try backend.list(userDirectory) where entry.hasSuffix(".tmp") {
                let tmp = joinPath(userDirectory, entry)
                logger.info("removing leftover temp file of an interrupted rewrite", metadata: ["todo.path": "\(tmp)"])
                try backend.remove(tmp)
            }
            let taskPath = joinPath(userDirectory, FileKind.tasks.fileName)
            if backend.exists(taskPath) {
                var version = storeFormatVersion
                recovered.taskFileSize = try load(taskPath, kind: .tasks, version: &version, reserve: { recovered.tasks.reserve($0) }) { recovered.tasks.apply($0) }
                recovered.tasks.fileVersion = version
            }
            let threadPath = joinPath(userDirectory, FileKind.threads.fileName)
            if backend.exists(threadPath) {
                var version = storeFormatVersion
                recovered.threadFileSize = try loadThreads(threadPath, into: &recovered.threads)
            }
            out[user] = recovered
        }
        return out
    }

    /// Creates the data directory and its `users` directory when missing (0700, parents synced).
    func ensureDirectories() throws {
        try ensureDirectory(directory)
        try ensureDirectory(usersDirectory)
    }

    private func ensureDirectory(_ path: String) throws {
        let existed = backend.exists(path)
        try backend.createDirectory(path)
        if !existed { try backend.fsyncDirectory(parentDirectory(path)) }
    }

    // MARK: One file

    /// Applies every valid line of `path`; returns the file's size after any cut or repair.
    private func load(_ path: String, kind: FileKind, version: inout Int, reserve: (Int) -> Void, apply: (StoreRecord) -> Void) throws -> Int {
        let bytes = try backend.read(path)
        reserve(bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 })
        let scan = bytes.withUnsafeBufferPointer { buf in LineScanner.scan(buf, kind: kind, record: apply) }
        return try finish(path, bytes: bytes, scan: scan, version: &version)
    }

    /// Loads a threads file lazily: every line is validated as `load` would, but item lines are kept as raw
    /// bytes per thread and decoded on the thread's first use (`ThreadTable.keepUnloaded`).
    private func loadThreads(_ path: String, into threads: inout ThreadTable) throws -> Int {
        let bytes = try backend.read(path)
        let scan = bytes.withUnsafeBufferPointer { buf in
            LineScanner.scan(buf, kind: .threads, decode: { try RecordCodec.decodeThreadLine(buffer: $0) }, header: { line in
                if case .record(.header(let kind, let version)) = line { return (kind, version) }
                return nil
            }, line: { line, raw in threads.keepUnloaded(line, raw: raw) })
        }
        threads.finishUnloaded()
        var version = storeFormatVersion
        return try finish(path, bytes: bytes, scan: scan, version: &version)
    }

    /// Acts on a scan's outcome: refuses a newer format, cuts a torn tail, refuses or quarantines corruption.
    private func finish(_ path: String, bytes: [UInt8], scan: LineScanner.Result, version: inout Int) throws -> Int {
        if let version = scan.unsupportedVersion {
            throw StoreError(.unsupportedVersion, "\(path) has format version \(version); this todod reads up to \(storeFormatVersion)", path: path)
        }
        version = scan.version ?? storeFormatVersion
        switch scan.outcome {
        case .clean:
            break
        case .tornTail(let offset, let line):
            logger.warning("cutting a torn last record (a write that was never acknowledged)",
                           metadata: ["todo.path": "\(path)", "todo.line": "\(line)", "todo.bytes": "\(bytes.count - offset)"])
            let file = try backend.open(path, mode: .append)
            defer { backend.close(file) }
            try backend.truncate(file, to: offset)
            try backend.fsync(file)
            return offset
        case .corrupt(let offset, let line, let reason):
            guard repair else { throw StoreError.corruptRecord(path: path, line: line, reason: reason) }
            try quarantine(path, bytes: bytes, validLength: offset, line: line, reason: reason)
            return offset
        }
        return bytes.count
    }

    /// Copies the whole file aside to `*.corrupt-<ts>` (synced first), then atomically replaces the file with
    /// its valid prefix. A crash at any point leaves either the original or both copies.
    private func quarantine(_ path: String, bytes: [UInt8], validLength: Int, line: Int, reason: String) throws {
        let stamp = now.rfc3339.filter { $0 != ":" && $0 != "-" && $0 != "." }
        let aside = path + ".corrupt-" + stamp
        let dir = parentDirectory(path)
        try writeNew(aside, bytes)
        try backend.fsyncDirectory(dir)
        let tmp = path + ".tmp"
        try writeNew(tmp, Array(bytes[0..<validLength]))
        try backend.rename(tmp, to: path)
        try backend.fsyncDirectory(dir)
        logger.error("repair: copied a corrupt file aside and kept its valid prefix; lines from the bad one on are only in the copy",
                     metadata: ["todo.path": "\(path)", "todo.quarantine": "\(aside)", "todo.line": "\(line)", "todo.reason": "\(reason)"])
    }

    private func writeNew(_ path: String, _ bytes: [UInt8]) throws {
        let file = try backend.open(path, mode: .createExclusive)
        defer { backend.close(file) }
        try backend.write(file, bytes)
        try backend.fsync(file)
    }
}

// MARK: - LineScanner

/// Splits a file into lines and decides between clean, torn tail and corruption (pure, no I/O).
enum LineScanner {
    enum Outcome: Equatable {
        case clean
        /// Invalid bytes from `offset` reach EOF: cut there.
        case tornTail(offset: Int, line: Int)
        /// An invalid line at `line` is followed by valid ones.
        case corrupt(offset: Int, line: Int, reason: String)
    }

    struct Result {
        var outcome: Outcome
        var unsupportedVersion: Int?
        /// The header's version, once line 1 was read.
        var version: Int?
    }

    /// Calls `record` for every valid line before the first invalid one.
    static func scan(_ buf: UnsafeBufferPointer<UInt8>, kind: FileKind, record: (StoreRecord) -> Void) -> Result {
        scan(buf, kind: kind, decode: { try RecordCodec.decode(buffer: $0) }, header: { record in
            if case .header(let kind, let version) = record { return (kind, version) }
            return nil
        }, line: { decoded, _ in record(decoded) })
    }

    /// Calls `line` for every valid line (decoded by `decode`, with its bytes) before the first invalid one.
    static func scan<Line>(
        _ buf: UnsafeBufferPointer<UInt8>, kind: FileKind, decode: (UnsafeBufferPointer<UInt8>) throws -> Line,
        header: (Line) -> (kind: String, version: Int)?, line record: (Line, UnsafeBufferPointer<UInt8>) -> Void
    ) -> Result {
        var start = 0
        var line = 1
        var version: Int?
        func result(_ outcome: Outcome) -> Result { Result(outcome: outcome, version: version) }
        while start < buf.count {
            guard let nl = buf[start...].firstIndex(of: 0x0A) else {
                return result(.tornTail(offset: start, line: line))
            }
            let slice = UnsafeBufferPointer(rebasing: buf[start..<nl])
            var failure: String?
            do {
                let rec = try decode(slice)
                if line == 1 {
                    guard let (k, v) = header(rec), k == kind.rawValue else { throw RecordCodec.DecodeError(reason: "first line is not a \(kind.rawValue) header") }
                    if v > storeFormatVersion { return Result(outcome: .clean, unsupportedVersion: v) }
                    version = v
                } else if header(rec) != nil {
                    throw RecordCodec.DecodeError(reason: "header in the middle of the file")
                } else {
                    record(rec, slice)
                }
            } catch {
                failure = "\(error)"
            }
            if let failure {
                if anyValidLine(buf, from: nl + 1) { return result(.corrupt(offset: start, line: line, reason: failure)) }
                return result(.tornTail(offset: start, line: line))
            }
            start = nl + 1
            line += 1
        }
        return result(.clean)
    }

    private static func anyValidLine(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        var start = from
        while start < buf.count {
            guard let nl = buf[start...].firstIndex(of: 0x0A) else { return false }
            if let rec = try? RecordCodec.decode(buffer: UnsafeBufferPointer(rebasing: buf[start..<nl])) {
                if case .header = rec {} else { return true }
            }
            start = nl + 1
        }
        return false
    }
}
