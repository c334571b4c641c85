#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import TodoCore

// MARK: - StoreRecord

/// One line of a data file (see `data/README.md` for the format).
public enum StoreRecord: Hashable, Sendable {
    /// The first line of every file: which file kind and which format version.
    case header(kind: String, version: Int)
    /// A task's full current state, with the idempotency key that created it.
    case task(TaskItem, requestID: String?)
    /// A task was deleted.
    case taskDeleted(TaskID)
    /// A request id whose task was deleted since (kept so a retry does not re-create it).
    case requestTombstone(requestID: String, task: TaskItem)
    /// A chat thread's current metadata.
    case thread(StoredThread)
    /// A chat thread and all its items were deleted.
    case threadDeleted(id: String)
    /// A thread item's current state.
    case item(StoredItem)
    /// A thread item was deleted.
    case itemDeleted(id: String, threadID: String)
    /// One entry of the user's undo history: a change (`action`) and the task as it was before it
    /// (for `created`, the task created).
    case undoEntry(seq: Int, action: TaskChange.Kind, task: TaskItem)
    /// Undo history entry `seq` was undone (or dropped).
    case undone(seq: Int)
    /// The user's feedback on a thread item (the latest line per item wins; it goes with its item).
    case feedback(threadID: String, itemID: String, kind: FeedbackKind)
}

/// The current on-disk format version (2: task fields due ... completed_at, undo history). Version 1 files
/// load unchanged; a tasks file is rewritten with a version 2 header before its first new line is appended.
public let storeFormatVersion = 2

/// File kinds named in headers.
enum FileKind: String, Sendable {
    case tasks = "todod.tasks"
    case threads = "todod.threads"

    var fileName: String { self == .tasks ? "tasks.jsonl" : "threads.jsonl" }
}

// MARK: - RecordCodec

/// Encodes and decodes record lines. The decoder is the one recovery, the fixtures test and the fuzz harness use.
public enum RecordCodec {
    /// A line that is not a valid record.
    public struct DecodeError: Error, CustomStringConvertible {
        /// Why it is invalid.
        public let reason: String
        public var description: String { reason }
    }

    /// Decodes one line (without its trailing newline).
    /// - Parameter line: the bytes of the line.
    /// - Throws: `DecodeError` naming what is wrong.
    public static func decode(_ line: some Collection<UInt8>) throws -> StoreRecord {
        if let record = try line.withContiguousStorageIfAvailable({ try decode(buffer: $0) }) { return record }
        return try Array(line).withUnsafeBufferPointer { try decode(buffer: $0) }
    }

    /// Decodes one line from raw memory (the fast path recovery uses).
    static func decode(buffer: UnsafeBufferPointer<UInt8>) throws -> StoreRecord {
        var f = Fields()
        do {
            try JSONLineParser.parseObject(buffer) { key, value in f.set(key, value) }
        } catch let failure as JSONLineParser.Failure {
            throw DecodeError(reason: "invalid JSON: \(failure)")
        }
        return try f.record()
    }

    /// Encodes a record as one line, including the trailing newline.
    /// - Parameter record: the record.
    public static func encode(_ record: StoreRecord) -> [UInt8] {
        var w = LineWriter()
        w.record(record)
        return w.finish()
    }

    /// Several records as consecutive lines in one buffer (what one append writes).
    static func encode(_ records: [StoreRecord]) -> [UInt8] {
        guard !records.isEmpty else { return [] }
        var w = LineWriter(capacity: 320 * records.count)
        for (index, record) in records.enumerated() {
            if index > 0 { w.endLine() }
            w.record(record)
        }
        return w.finish()
    }
}

// MARK: - Thread lines for lazy loading

/// A threads-file line as recovery keeps it: item lines are validated exactly as `RecordCodec.decode` would
/// (same accepted and rejected lines) but their payload is not built; the line's bytes wait until the thread's
/// items are first used (`ThreadTable`).
enum ThreadLine {
    case record(StoreRecord)
    case item(id: String, threadID: String)
    case itemDeleted(id: String, threadID: String)
}

extension RecordCodec {
    /// Decodes a threads-file line, leaving an item's payload unbuilt. A line it rejects is decoded again by
    /// `decode(buffer:)`, so errors (and any line the lean path would wrongly refuse) are exactly the full decoder's.
    static func decodeThreadLine(buffer: UnsafeBufferPointer<UInt8>) throws -> ThreadLine {
        var f = Fields()
        do {
            try JSONLineParser.parseObject(buffer, unmaterialized: "payload") { key, value in f.set(key, value) }
            if f.format == nil, f.op == "item" {
                let (id, threadID) = try f.lazyItem()
                return .item(id: id, threadID: threadID)
            }
            if !f.payloadValidated {
                let record = try f.record()
                if case .itemDeleted(let id, let threadID) = record { return .itemDeleted(id: id, threadID: threadID) }
                return .record(record)
            }
        } catch {}
        let record = try decode(buffer: buffer)
        if case .itemDeleted(let id, let threadID) = record { return .itemDeleted(id: id, threadID: threadID) }
        return .record(record)
    }
}

// MARK: - Fields

private struct Fields {
    var op: String?, format: String?, version: Int64?
    var id: String?, threadID: String?, title: String?, description: String?, completed: Bool?
    var createdAt: Timestamp?, updatedAt: Timestamp?, requestID: String?, payload: String?
    var badTime: String?
    var due: String?, timeZone: String?, priority: Int64?, labels: [String]?, project: String?, recurrence: String?
    var completedAt: Timestamp?, completionRequestID: String?, seq: Int64?, action: String?, kind: String?
    /// The payload was a valid string left unbuilt (`RecordCodec.decodeThreadLine`).
    var payloadValidated = false

    mutating func set(_ key: UnsafeBufferPointer<UInt8>, _ value: JSONScalar) {
        switch key.count {
        case 1 where key[0] == UInt8(ascii: "v"): if case .int(let n) = value { version = n }
        case 2 where equals(key, "op"): op = value.text
        case 3 where equals(key, "due"): due = value.text
        case 3 where equals(key, "seq"): if case .int(let n) = value { seq = n }
        case 4 where equals(key, "kind"): kind = value.text
        case 6 where equals(key, "labels"): if case .strings(let l) = value { labels = l }
        case 6 where equals(key, "action"): action = value.text
        case 7 where equals(key, "project"): project = value.text
        case 8 where equals(key, "priority"): if case .int(let n) = value { priority = n }
        case 9 where equals(key, "time_zone"): timeZone = value.text
        case 10 where equals(key, "recurrence"): recurrence = value.text
        case 12 where equals(key, "completed_at"): completedAt = time(value, "completed_at")
        case 21 where equals(key, "completion_request_id"): completionRequestID = value.text
        case 2 where equals(key, "id"): id = value.text
        case 5 where equals(key, "title"): title = value.text
        case 6 where equals(key, "format"): format = value.text
        case 7 where equals(key, "payload"):
            payload = value.text
            if case .validated = value { payloadValidated = true } else { payloadValidated = false }
        case 9 where equals(key, "thread_id"): threadID = value.text
        case 9 where equals(key, "completed"): if case .bool(let b) = value { completed = b }
        case 10 where equals(key, "created_at"): createdAt = time(value, "created_at")
        case 10 where equals(key, "updated_at"): updatedAt = time(value, "updated_at")
        case 10 where equals(key, "request_id"): requestID = value.text
        case 11 where equals(key, "description"): description = value.text
        default: break
        }
    }

    private func equals(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        memcmp(key.baseAddress!, name.utf8Start, name.utf8CodeUnitCount) == 0
    }

    private mutating func time(_ value: JSONScalar, _ name: String) -> Timestamp? {
        let parsed: Timestamp?
        if case .raw(let raw) = value { parsed = parseTimestamp(raw) } else { parsed = value.text.flatMap(parseTimestamp) }
        if parsed == nil { badTime = name }
        return parsed
    }

    func record() throws -> StoreRecord {
        if let format {
            guard let version, version >= 1, version <= Int64(Int32.max) else { throw fail("header without a valid \"v\"") }
            return .header(kind: format, version: Int(version))
        }
        guard let op else { throw fail("missing \"op\"") }
        switch op {
        case "task": return .task(try task(), requestID: try requestIDValue(optional: true))
        case "task_deleted": return .taskDeleted(try taskID())
        case "request_tombstone": return .requestTombstone(requestID: try requestIDValue(optional: false)!, task: try task())
        case "thread":
            return .thread(StoredThread(id: try safe(id, "id"), createdAt: try time(createdAt, "created_at"), payload: try need(payload, "payload")))
        case "thread_deleted": return .threadDeleted(id: try safe(id, "id"))
        case "item":
            return .item(StoredItem(id: try safe(id, "id"), threadID: try safe(threadID, "thread_id"),
                                    createdAt: try time(createdAt, "created_at"), payload: try need(payload, "payload")))
        case "item_deleted": return .itemDeleted(id: try safe(id, "id"), threadID: try safe(threadID, "thread_id"))
        case "undo":
            guard let seq, seq >= 1, seq <= Int64(Int32.max) else { throw fail("missing or invalid \"seq\"") }
            guard let action, let kind = TaskChange.Kind(rawValue: action) else { throw fail("missing or invalid \"action\"") }
            return .undoEntry(seq: Int(seq), action: kind, task: try task())
        case "undone":
            guard let seq, seq >= 1, seq <= Int64(Int32.max) else { throw fail("missing or invalid \"seq\"") }
            return .undone(seq: Int(seq))
        case "feedback":
            guard let kind, let value = FeedbackKind(rawValue: kind) else { throw fail("missing or invalid \"kind\"") }
            return .feedback(threadID: try safe(threadID, "thread_id"), itemID: try safe(id, "id"), kind: value)
        default: throw fail("unknown op \"\(op)\"")
        }
    }

    /// An item line's id and thread id, checked as `record()` checks them, its payload only validated.
    func lazyItem() throws -> (id: String, threadID: String) {
        let id = try safe(id, "id"), threadID = try safe(threadID, "thread_id")
        _ = try time(createdAt, "created_at")
        guard payloadValidated || payload != nil else { throw fail("missing or non-string \"payload\"") }
        return (id, threadID)
    }

    private func task() throws -> TaskItem {
        let title = try need(title, "title")
        guard !title.isEmpty else { throw fail("empty \"title\"") }
        guard let completed else { throw fail("missing or non-boolean \"completed\"") }
        var task = TaskItem(id: try taskID(), title: title, description: description, completed: completed,
                            createdAt: try time(createdAt, "created_at"), updatedAt: try time(updatedAt, "updated_at"))
        if let due { task.due = try decoded("due") { try TaskDue(iso: due) } }
        task.timeZone = timeZone
        if let priority {
            guard (1...4).contains(priority) else { throw fail("invalid \"priority\"") }
            task.priority = Int(priority)
        }
        task.labels = labels ?? []
        task.project = project
        if let recurrence { task.recurrence = try decoded("recurrence") { try Recurrence(rrule: recurrence) } }
        if completedAt != nil || badTime == "completed_at" { task.completedAt = try time(completedAt, "completed_at") }
        task.completionRequestID = completionRequestID
        return task
    }

    private func decoded<T>(_ name: String, _ make: () throws -> T) throws -> T {
        do { return try make() } catch { throw fail("invalid \"\(name)\"") }
    }

    private func taskID() throws -> TaskID {
        guard let id, let value = try? TaskID(id) else { throw fail("missing or invalid task \"id\"") }
        return value
    }

    private func requestIDValue(optional: Bool) throws -> String? {
        guard let requestID else {
            if optional { return nil }
            throw fail("missing \"request_id\"")
        }
        guard isValidRequestID(requestID) else { throw fail("invalid \"request_id\"") }
        return requestID
    }

    private func need(_ value: String?, _ name: String) throws -> String {
        guard let value else { throw fail("missing or non-string \"\(name)\"") }
        return value
    }

    private func safe(_ value: String?, _ name: String) throws -> String {
        guard let value, isSafeID(value) else { throw fail("missing or invalid \"\(name)\"") }
        return value
    }

    private func time(_ value: Timestamp?, _ name: String) throws -> Timestamp {
        guard let value, badTime != name else { throw fail("missing or invalid \"\(name)\"") }
        return value
    }

    private func fail(_ reason: String) -> RecordCodec.DecodeError { RecordCodec.DecodeError(reason: reason) }
}
