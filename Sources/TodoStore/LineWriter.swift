import TodoCore

// MARK: - LineWriter

/// Builds JSON object lines by hand: fixed key order, nulls omitted, minimal escaping, trailing `\n`.
/// Several lines can share one buffer (`endLine` then the next line's fields).
struct LineWriter {
    private var out: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    init(capacity: Int = 256) { out.reserveCapacity(capacity) }

    mutating func field(_ key: StaticString, _ value: String?) {
        guard var value else { return }
        // A short value without escapes is written with its key in one append; the rest goes through
        // `JSONStringLiteral`.
        let written = value.withUTF8 { utf8 -> Bool in
            guard utf8.count <= 192, !JSONStringLiteral.needsEscape(utf8) else { return false }
            let comma = takeComma()
            appendScratch(key.utf8CodeUnitCount + 6 + utf8.count) { p in
                var n = Self.writeKey(key, comma: comma, to: p)
                p[n] = UInt8(ascii: "\"")
                if let base = utf8.baseAddress { (p + n + 1).update(from: base, count: utf8.count) }
                n += 1 + utf8.count
                p[n] = UInt8(ascii: "\"")
                return n + 1
            }
            return true
        }
        if !written {
            appendKey(key)
            appendString(value)
        }
    }

    mutating func field(_ key: StaticString, _ value: Int) {
        guard value >= 0 else {
            appendKey(key)
            out.append(contentsOf: String(value).utf8)
            return
        }
        let comma = takeComma()
        appendScratch(key.utf8CodeUnitCount + 24) { p in
            let n = Self.writeKey(key, comma: comma, to: p)
            var digits = 1
            var rest = value / 10
            while rest > 0 { digits += 1; rest /= 10 }
            var v = value
            var i = n + digits
            while i > n {
                i -= 1
                p[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
            }
            return n + digits
        }
    }

    mutating func field(_ key: StaticString, _ value: Bool) {
        let comma = takeComma()
        appendScratch(key.utf8CodeUnitCount + 9) { p in
            let n = Self.writeKey(key, comma: comma, to: p)
            let text: StaticString = value ? "true" : "false"
            (p + n).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
            return n + text.utf8CodeUnitCount
        }
    }

    mutating func field(_ key: StaticString, _ value: Timestamp) {
        appendRFC3339(value, key: key)
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

    /// `"name":`, after a comma unless it is the line's first key, in one append.
    private mutating func appendKey(_ name: StaticString) {
        appendKey(name, comma: takeComma())
    }

    private mutating func appendKey(_ name: StaticString, comma: Int) {
        appendScratch(name.utf8CodeUnitCount + 4) { p in Self.writeKey(name, comma: comma, to: p) }
    }

    /// Writes `"name":` at `p`, after a comma when `comma` is 1; returns the byte count.
    private static func writeKey(_ name: StaticString, comma: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let count = name.utf8CodeUnitCount
        p[0] = UInt8(ascii: ",")
        p[comma] = UInt8(ascii: "\"")
        (p + comma + 1).update(from: name.utf8Start, count: count)
        p[comma + 1 + count] = UInt8(ascii: "\"")
        p[comma + 2 + count] = UInt8(ascii: ":")
        return comma + 3 + count
    }

    /// 1 when the next key follows another on its line (it needs a comma), else 0.
    private mutating func takeComma() -> Int {
        defer { first = false }
        return first ? 0 : 1
    }

    /// Appends what `body` writes into a stack buffer of `capacity` bytes (it returns how many it wrote):
    /// one capacity check and one copy instead of one `append` per byte.
    private mutating func appendScratch(_ capacity: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let written = body(buffer.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress, count: written))
        }
    }

    /// Writes the key and the time as `Timestamp.rfc3339` does, quoted, straight into the buffer.
    private mutating func appendRFC3339(_ t: Timestamp, key: StaticString) {
        let comma = takeComma()
        var done = false
        appendScratch(key.utf8CodeUnitCount + 30) { q in
            let k = Self.writeKey(key, comma: comma, to: q)
            q[k] = 0x22
            guard t.writeRFC3339(to: q + k + 1) else { return 0 }
            q[k + 25] = 0x22
            done = true
            return k + 26
        }
        if !done {
            appendKey(key, comma: comma)
            appendString(t.rfc3339)
        }
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
