import TodoCore

// MARK: - LineWriter

/// Builds JSON object lines by hand: fixed key order, nulls omitted, minimal escaping, trailing `\n`.
/// Several lines can share one buffer (`endLine` then the next line's fields).
struct LineWriter {
    private var out: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    init(capacity: Int = 256) { out.reserveCapacity(capacity) }

    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        appendKey(key)
        appendString(value)
    }

    mutating func field(_ key: StaticString, _ value: Int) {
        appendKey(key)
        guard value >= 0 else {
            out.append(contentsOf: String(value).utf8)
            return
        }
        var div = 1
        while div <= value / 10 { div *= 10 }
        var v = value
        while div > 0 {
            out.append(UInt8(0x30 + v / div))
            v %= div
            div /= 10
        }
    }

    mutating func field(_ key: StaticString, _ value: Bool) {
        appendKey(key)
        appendStatic(value ? "true" : "false")
    }

    mutating func field(_ key: StaticString, _ value: Timestamp) {
        appendKey(key)
        out.append(UInt8(ascii: "\""))
        appendRFC3339(value)
        out.append(UInt8(ascii: "\""))
    }

    mutating func field(_ key: StaticString, _ value: Timestamp?) {
        if let value { field(key, value) }
    }

    mutating func field(_ key: StaticString, _ values: [String]) {
        guard !values.isEmpty else { return }
        appendKey(key)
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(v)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The task's fields; version 2 fields only when set, so a version 1 task writes the same line as before.
    mutating func task(_ task: TaskItem) {
        field("id", task.id.rawValue)
        field("title", task.title)
        field("description", task.description)
        field("completed", task.completed)
        field("created_at", task.createdAt)
        field("updated_at", task.updatedAt)
        field("due", task.due?.iso)
        field("time_zone", task.timeZone)
        if let priority = task.priority { field("priority", priority) }
        field("labels", task.labels)
        field("project", task.project)
        field("recurrence", task.recurrence?.rrule)
        field("completed_at", task.completedAt)
        field("completion_request_id", task.completionRequestID)
    }

    /// Ends the current line; the next field starts a new object line in the same buffer.
    mutating func endLine() {
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        out.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        return out
    }

    // MARK: Helpers

    private mutating func appendKey(_ name: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        appendStatic(name)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    private mutating func appendStatic(_ text: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Formats like `Timestamp.rfc3339` (`YYYY-MM-DDTHH:MM:SS.mmmZ`) straight into the buffer.
    private mutating func appendRFC3339(_ t: Timestamp) {
        let ms = t.millisecondsSinceEpoch
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = Int(ms - days * 86_400_000)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400 + (month <= 2 ? 1 : 0))
        guard (0...9999).contains(year) else {
            out.append(contentsOf: Array(t.rfc3339.utf8))
            return
        }
        func digits(_ v: Int, _ n: Int) {
            var div = 1
            for _ in 1..<n { div *= 10 }
            var v = v
            for _ in 0..<n {
                out.append(UInt8(0x30 + v / div))
                v %= div
                div /= 10
            }
        }
        digits(year, 4); out.append(0x2D); digits(month, 2); out.append(0x2D); digits(day, 2); out.append(0x54)
        digits(msOfDay / 3_600_000, 2); out.append(0x3A); digits(msOfDay / 60_000 % 60, 2); out.append(0x3A)
        digits(msOfDay / 1000 % 60, 2); out.append(0x2E); digits(msOfDay % 1000, 3); out.append(0x5A)
    }

    private mutating func appendString(_ s: String) { JSONStringLiteral.append(s, to: &out) }
}

// MARK: - Records

extension LineWriter {
    /// One record's fields (the line's braces and newline are the writer's).
    mutating func record(_ record: StoreRecord) {
        switch record {
        case .header(let kind, let version):
            self.field("format", kind); self.field("v", version)
        case .task(let task, let requestID):
            self.field("op", "task"); self.task(task); self.field("request_id", requestID)
        case .taskDeleted(let id):
            self.field("op", "task_deleted"); self.field("id", id.rawValue)
        case .requestTombstone(let requestID, let task):
            self.field("op", "request_tombstone"); self.task(task); self.field("request_id", requestID)
        case .thread(let thread):
            self.field("op", "thread"); self.field("id", thread.id); self.field("created_at", thread.createdAt)
            self.field("payload", thread.payload)
        case .threadDeleted(let id):
            self.field("op", "thread_deleted"); self.field("id", id)
        case .item(let item):
            self.field("op", "item"); self.field("id", item.id); self.field("thread_id", item.threadID)
            self.field("created_at", item.createdAt); self.field("payload", item.payload)
        case .itemDeleted(let id, let threadID):
            self.field("op", "item_deleted"); self.field("id", id); self.field("thread_id", threadID)
        case .undoEntry(let seq, let action, let task):
            self.field("op", "undo"); self.field("seq", seq); self.field("action", action.rawValue); self.task(task)
        case .undone(let seq):
            self.field("op", "undone"); self.field("seq", seq)
        case .feedback(let threadID, let itemID, let kind):
            self.field("op", "feedback"); self.field("id", itemID); self.field("thread_id", threadID); self.field("kind", kind.rawValue)
        }
    }
}
