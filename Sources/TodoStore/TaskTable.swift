import TodoCore

// MARK: - TaskTable

/// One user's tasks in memory, in insertion order, plus the request-id index. Pure value logic, no I/O.
struct TaskTable {
    private struct Entry {
        var task: TaskItem
        var seq: Int
        var requestID: String?
    }

    private var entries: [TaskID: Entry] = [:]
    private var order: [(id: TaskID, seq: Int)] = []
    private var nextSeq = 0
    /// Request id → the id of the task it created (live or in `tombstones`).
    private(set) var requestIDs: [String: TaskID] = [:]
    /// Request ids whose task was deleted, with the task as it was.
    private(set) var tombstones: [String: TaskItem] = [:]
    /// Record lines in the file after the header (live and dead).
    var lineCount = 0
    /// The format version of the file's header (a version 1 file is rewritten before its next append).
    var fileVersion = storeFormatVersion
    /// The undo history, oldest first (at most `maxUndo` entries).
    var undoHistory: ArraySlice<UndoEntry> { undoStorage[undoStart...] }
    /// `undoHistory` plus up to `maxUndo` dropped entries before `undoStart`: they are removed in one go
    /// every `maxUndo` appends instead of shifting the whole history on every write.
    private var undoStorage: [UndoEntry] = []
    private var undoStart = 0
    private var nextUndoSeq = 1
    /// Undo entries kept (in memory and by compaction).
    static let maxUndo = 100

    struct UndoEntry: Hashable {
        var seq: Int
        var action: TaskChange.Kind
        var task: TaskItem
    }

    var count: Int { entries.count }

    /// Lines that compaction would keep.
    var liveLineCount: Int { entries.count + tombstones.count + undoStorage.count - undoStart }

    /// Makes room for about `count` tasks (recovery knows the line count up front).
    mutating func reserve(_ count: Int) {
        entries.reserveCapacity(count)
        order.reserveCapacity(count)
    }

    // MARK: Reads

    func task(_ id: TaskID) -> TaskItem? { entries[id]?.task }

    /// Every live task, in creation order (export and snapshots).
    var allTasks: [TaskItem] { Array(liveTasks) }

    /// The live tasks in creation order, without copying the table.
    var liveTasks: some Sequence<TaskItem> {
        order.lazy.compactMap { [entries] slot in
            guard let e = entries[slot.id], e.seq == slot.seq else { return nil }
            return e.task
        }
    }

    /// The undo entry a new change gets.
    func undoRecord(_ action: TaskChange.Kind, _ task: TaskItem) -> StoreRecord {
        .undoEntry(seq: nextUndoSeq, action: action, task: task)
    }

    /// The task a request id created: the live one, or the last state of a deleted one.
    func task(forRequest requestID: String) -> TaskItem? {
        guard let id = requestIDs[requestID] else { return nil }
        return entries[id]?.task ?? tombstones[requestID]
    }

    // MARK: Changes

    /// Applies one record (from recovery or from a new write).
    mutating func apply(_ record: StoreRecord) {
        lineCount += 1
        switch record {
        case .task(let task, let requestID):
            if var e = entries[task.id] {
                e.task = task
                if let requestID { e.requestID = requestID; requestIDs[requestID] = task.id }
                entries[task.id] = e
            } else {
                entries[task.id] = Entry(task: task, seq: nextSeq, requestID: requestID)
                order.append((task.id, nextSeq))
                nextSeq += 1
                if let requestID {
                    requestIDs[requestID] = task.id
                    if !tombstones.isEmpty { tombstones[requestID] = nil }
                }
            }
        case .taskDeleted(let id):
            guard let e = entries.removeValue(forKey: id) else { return }
            if let rid = e.requestID { tombstones[rid] = e.task }
            if order.count > 64 && order.count > 2 * entries.count { rebuildOrder() }
        case .requestTombstone(let requestID, let task):
            requestIDs[requestID] = task.id
            tombstones[requestID] = task
        case .undoEntry(let seq, let action, let task):
            // A new write's entry has the next sequence number: only a replayed one can already be listed.
            let fresh = seq >= nextUndoSeq
            nextUndoSeq = max(nextUndoSeq, seq + 1)
            guard fresh || !undoHistory.contains(where: { $0.seq == seq }) else { return }
            undoStorage.append(UndoEntry(seq: seq, action: action, task: task))
            if undoStorage.count - undoStart > Self.maxUndo { undoStart = undoStorage.count - Self.maxUndo }
            if undoStart >= Self.maxUndo {
                undoStorage.removeFirst(undoStart)
                undoStart = 0
            }
        case .undone(let seq):
            undoStorage.removeFirst(undoStart)
            undoStart = 0
            undoStorage.removeAll { $0.seq == seq }
        default:
            break
        }
    }

    /// The records compaction writes: every live task, then the newest `maxTombstones` request tombstones.
    func snapshotRecords(maxTombstones: Int = 1000) -> [StoreRecord] {
        var out: [StoreRecord] = []
        out.reserveCapacity(entries.count + min(tombstones.count, maxTombstones))
        for slot in order {
            guard let e = entries[slot.id], e.seq == slot.seq else { continue }
            out.append(.task(e.task, requestID: e.requestID))
        }
        let kept = tombstones.sorted { $0.value.updatedAt > $1.value.updatedAt }.prefix(maxTombstones)
        for (rid, task) in kept.reversed() where entries[task.id] == nil {
            out.append(.requestTombstone(requestID: rid, task: task))
        }
        for entry in undoHistory { out.append(.undoEntry(seq: entry.seq, action: entry.action, task: entry.task)) }
        return out
    }

    /// Resets the line count after a rewrite of `lines` records.
    mutating func didRewrite(lines: Int, maxTombstones: Int = 1000) {
        lineCount = lines
        fileVersion = storeFormatVersion
        if tombstones.count > maxTombstones {
            let keep = Set(tombstones.sorted { $0.value.updatedAt > $1.value.updatedAt }.prefix(maxTombstones).map(\.key))
            for rid in tombstones.keys where !keep.contains(rid) {
                tombstones[rid] = nil
                requestIDs[rid] = nil
            }
        }
    }

    private mutating func rebuildOrder() {
        order = order.filter { entries[$0.id]?.seq == $0.seq }
    }
}
