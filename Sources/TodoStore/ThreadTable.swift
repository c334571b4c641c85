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

    var itemCount: Int { items.values.reduce(0) { $0 + $1.live } }
    var liveLineCount: Int { threads.count + itemCount }

    // MARK: Changes

    /// Applies one record (from recovery or from a new write).
    mutating func apply(_ record: StoreRecord) {
        lineCount += 1
        switch record {
        case .thread(let thread):
            threads[thread.id] = thread
            if items[thread.id] == nil { items[thread.id] = ItemList() }
        case .threadDeleted(let id):
            threads[id] = nil
            items[id] = nil
        case .item(let item):
            guard threads[item.threadID] != nil else { return }
            items[item.threadID, default: ItemList()].put(item)
        case .itemDeleted(let id, let threadID):
            _ = items[threadID]?.remove(id)
        default:
            break
        }
    }

    // MARK: Reads

    func thread(_ id: String) -> StoredThread? { threads[id] }

    func item(_ id: String, threadID: String) -> StoredItem? {
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
    func itemPage(threadID: String, _ page: PageRequest) throws -> Page<StoredItem>? {
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
    func snapshotRecords() -> [StoredRecordBatch] {
        sortedThreads().map { thread in
            StoredRecordBatch(thread: thread, items: (items[thread.id]?.slots ?? []).compactMap { $0 })
        }
    }
}

/// One thread with its items, in order.
struct StoredRecordBatch {
    var thread: StoredThread
    var items: [StoredItem]

    var records: [StoreRecord] { [.thread(thread)] + items.map { .item($0) } }
}
