import TodoCore

// MARK: - ThreadTable

/// One user's chat threads and their items in memory. Items keep insertion order in an array with an
/// id → index map, so a page is found without touching the rest of the history.
struct ThreadTable {
    struct ItemList {
        var slots: [StoredItem?] = []
        var index: [String: Int] = [:]
        var live: Int { index.count }

        mutating func put(_ item: StoredItem) {
            if let i = index[item.id] { slots[i] = item; return }
            index[item.id] = slots.count
            slots.append(item)
        }

        mutating func remove(_ id: String) -> Bool {
            guard let i = index.removeValue(forKey: id) else { return false }
            slots[i] = nil
            if slots.count > 64 && slots.count > 2 * index.count { compactSlots() }
            return true
        }

        private mutating func compactSlots() {
            slots = slots.filter { $0 != nil }
            index = [:]
            for (i, item) in slots.enumerated() { index[item!.id] = i }
        }
    }

    private(set) var threads: [String: StoredThread] = [:]
    private(set) var items: [String: ItemList] = [:]
    /// Record lines in the file after the header (live and dead).
    var lineCount = 0
    /// Threads whose item lines recovery kept undecoded (see "Lazy items" below).
    private var unloaded: [String: UnloadedItems] = [:]

    /// Live items of every thread, decoded or not: kept as changes apply (each commit asks for it to decide on
    /// compaction, so it must not cost a walk over every thread).
    private(set) var itemCount = 0
    /// Feedback per thread: item id → the latest kind (kept apart from the items, so it needs no item decoding).
    private(set) var feedback: [String: [String: FeedbackKind]] = [:]
    /// Feedback entries over every thread (one live line each).
    private(set) var feedbackCount = 0
    var liveLineCount: Int { threads.count + itemCount + feedbackCount }

    // MARK: Changes

    /// Applies one record (from recovery or from a new write).
    mutating func apply(_ record: StoreRecord) {
        lineCount += 1
        switch record {
        case .thread(let thread):
            threads[thread.id] = thread
            if items[thread.id] == nil { items[thread.id] = ItemList() }
        case .threadDeleted(let id):
            itemCount -= (items[id]?.live ?? 0) + (unloaded[id]?.live ?? 0)
            feedbackCount -= feedback.removeValue(forKey: id)?.count ?? 0
            threads[id] = nil
            items[id] = nil
            unloaded[id] = nil
        case .item(let item):
            guard threads[item.threadID] != nil else { return }
            load(item.threadID)
            let before = items[item.threadID]?.live ?? 0
            items[item.threadID, default: ItemList()].put(item)
            itemCount += (items[item.threadID]?.live ?? 0) - before
        case .itemDeleted(let id, let threadID):
            load(threadID)
            if items[threadID]?.remove(id) == true { itemCount -= 1 }
            dropFeedback(id, threadID: threadID)
        case .feedback(let threadID, let itemID, let kind):
            guard threads[threadID] != nil else { return }
            if feedback[threadID, default: [:]].updateValue(kind, forKey: itemID) == nil { feedbackCount += 1 }
        default:
            break
        }
    }

    private mutating func dropFeedback(_ itemID: String, threadID: String) {
        if feedback[threadID]?.removeValue(forKey: itemID) != nil { feedbackCount -= 1 }
    }

    // MARK: Reads

    /// Counts of the latest feedback per item over every thread.
    func feedbackCounts() -> FeedbackCounts {
        var counts = FeedbackCounts()
        for entries in feedback.values { for kind in entries.values { counts.add(kind) } }
        return counts
    }

    func thread(_ id: String) -> StoredThread? { threads[id] }

    mutating func item(_ id: String, threadID: String) -> StoredItem? {
        load(threadID)
        guard let list = items[threadID], let i = list.index[id] else { return nil }
        return list.slots[i]
    }

    /// Threads sorted by creation time (ties by id).
    func sortedThreads() -> [StoredThread] {
        threads.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// A page of threads.
    func threadPage(_ page: PageRequest) throws -> Page<StoredThread> {
        var list = sortedThreads()
        if page.order == .desc { list.reverse() }
        var start = 0
        if let after = page.after {
            guard let i = list.firstIndex(where: { $0.id == after }) else { throw TodoError.validation(field: "after", "unknown cursor \(after)") }
            start = i + 1
        }
        let end = min(list.count, start + page.limit)
        let data = Array(list[min(start, list.count)..<end])
        return Page(data: data, hasMore: end < list.count, after: data.last?.id)
    }

    /// A page of one thread's items, touching only the slots it returns (plus skipped deleted ones).
    mutating func itemPage(threadID: String, _ page: PageRequest) throws -> Page<StoredItem>? {
        load(threadID)
        guard let list = items[threadID], threads[threadID] != nil else { return nil }
        let ascending = page.order == .asc
        var i = ascending ? 0 : list.slots.count - 1
        if let after = page.after {
            guard let at = list.index[after] else { throw TodoError.validation(field: "after", "unknown cursor \(after)") }
            i = ascending ? at + 1 : at - 1
        }
        var data: [StoredItem] = []
        data.reserveCapacity(min(page.limit, list.live))
        while i >= 0 && i < list.slots.count && data.count < page.limit {
            if let item = list.slots[i] { data.append(item) }
            i += ascending ? 1 : -1
        }
        var hasMore = false
        while i >= 0 && i < list.slots.count {
            if list.slots[i] != nil { hasMore = true; break }
            i += ascending ? 1 : -1
        }
        return Page(data: data, hasMore: hasMore, after: data.last?.id)
    }

    /// The records compaction writes: each thread followed by its items in order.
    mutating func snapshotRecords() -> [StoredRecordBatch] {
        for threadID in Array(unloaded.keys) { load(threadID) }
        return sortedThreads().map { thread in
            StoredRecordBatch(thread: thread, items: (items[thread.id]?.slots ?? []).compactMap { $0 },
                              feedback: (feedback[thread.id] ?? [:]).sorted { $0.key < $1.key })
        }
    }
}

// MARK: - Lazy items (start-up)

/// Recovery validates every line but decodes a thread's items only on their first use: until then the thread's
/// item and item-deleted lines wait as raw bytes. Any read or change of the thread's items (`item`, `itemPage`,
/// `apply`, `snapshotRecords`) decodes them first, replaying the lines in file order onto the thread's (empty)
/// list, which gives the same list a full recovery builds.
extension ThreadTable {
    /// One thread's undecoded item lines.
    struct UnloadedItems {
        /// The lines, each ending in a newline, in file order.
        var lines: [UInt8] = []
        /// Live items (exact: counted by id while scanning).
        var live = 0
        /// The live ids, only while recovery scans.
        var ids: Set<String> = []
    }

    /// Recovery: keeps one validated line (its bytes `raw`) as `apply` would have applied it.
    mutating func keepUnloaded(_ line: ThreadLine, raw: UnsafeBufferPointer<UInt8>) {
        switch line {
        case .record(let record):
            apply(record)
        case .item(let id, let threadID):
            lineCount += 1
            guard threads[threadID] != nil else { return }
            unloaded[threadID, default: UnloadedItems()].keep(raw, id: id, live: true)
        case .itemDeleted(let id, let threadID):
            lineCount += 1
            guard items[threadID] != nil else { return }
            unloaded[threadID, default: UnloadedItems()].keep(raw, id: id, live: false)
            dropFeedback(id, threadID: threadID)
        }
    }

    /// Recovery is done: keep only counts, not the ids, and count every live item once.
    mutating func finishUnloaded() {
        for threadID in Array(unloaded.keys) {
            unloaded[threadID]!.live = unloaded[threadID]!.ids.count
            unloaded[threadID]!.ids = []
        }
        itemCount = items.values.reduce(0) { $0 + $1.live } + unloaded.values.reduce(0) { $0 + $1.live }
    }

    /// Threads whose items are not decoded yet.
    var unloadedThreadCount: Int { unloaded.count }

    /// Decodes the thread's kept lines into its item list (nothing when already decoded).
    private mutating func load(_ threadID: String) {
        guard let pending = unloaded.removeValue(forKey: threadID) else { return }
        var list = items[threadID] ?? ItemList()
        let before = list.live + pending.live
        pending.lines.withUnsafeBufferPointer { buf in
            var start = 0
            while start < buf.count, let nl = buf[start...].firstIndex(of: 0x0A) {
                // Validated by recovery with the same decoder's rules (see `RecordCodec.decodeThreadLine`).
                switch try? RecordCodec.decode(buffer: UnsafeBufferPointer(rebasing: buf[start..<nl])) {
                case .item(let item): list.put(item)
                case .itemDeleted(let id, _): _ = list.remove(id)
                default: break
                }
                start = nl + 1
            }
        }
        items[threadID] = list
        itemCount += list.live - before
    }
}

extension ThreadTable.UnloadedItems {
    mutating func keep(_ raw: UnsafeBufferPointer<UInt8>, id: String, live isLive: Bool) {
        lines.append(contentsOf: raw)
        lines.append(0x0A)
        if isLive { ids.insert(id) } else { ids.remove(id) }
        live = ids.count
    }
}

/// One thread with its items, in order.
struct StoredRecordBatch {
    var thread: StoredThread
    var items: [StoredItem]
    /// Item id → kind, sorted by item id.
    var feedback: [(key: String, value: FeedbackKind)] = []

    var records: [StoreRecord] {
        [.thread(thread)] + items.map { .item($0) } + feedback.map { .feedback(threadID: thread.id, itemID: $0.key, kind: $0.value) }
    }
}
