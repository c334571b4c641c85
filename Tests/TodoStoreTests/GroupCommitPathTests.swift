import Testing
import TodoCore
@testable import TodoStore

// MARK: - The pieces the group-commit fast path relies on

@Suite("Store: durable tickets, batched record encoding and the undo history window")
struct GroupCommitPathTests {
    static let at = Timestamp(millisecondsSinceEpoch: 1_767_225_600_123)

    static func task(_ n: Int, title: String = "task") -> TaskItem {
        TaskItem(id: try! TaskID("t_\(n)"), title: "\(title) \(n)", description: n % 2 == 0 ? "line\nwith \"quotes\" \\ and \t" : nil,
                 completed: n % 3 == 0, createdAt: at, updatedAt: at)
    }

    @Test("a ticket completed before it is awaited returns at once")
    func completedFirst() async throws {
        let ticket = DurableTicket()
        ticket.resume()
        try await ticket.wait()
    }

    @Test("a ticket awaited before it completes returns once another thread completes it")
    func awaitedFirst() async throws {
        let ticket = DurableTicket()
        async let waited: Void = ticket.wait()
        Task.detached { ticket.resume() }
        try await waited
    }

    @Test("a failed ticket throws its error, whichever side comes first", arguments: [true, false])
    func failure(completeFirst: Bool) async {
        let ticket = DurableTicket()
        if completeFirst { ticket.resume(throwing: StoreError.closedStore) }
        let waiting = Task { try await ticket.wait() }
        if !completeFirst { ticket.resume(throwing: StoreError.closedStore) }
        await #expect(throws: StoreError.self) { try await waiting.value }
    }

    @Test("encoding records into one buffer gives exactly the lines encoded one by one")
    func batchedEncoding() throws {
        var records: [StoreRecord] = [.header(kind: "todod.tasks", version: storeFormatVersion)]
        for n in 0..<20 {
            let task = Self.task(n)
            records.append(.task(task, requestID: n % 2 == 0 ? "req-\(n)" : nil))
            records.append(.undoEntry(seq: n * 1_000_003 + 1, action: .created, task: task))
            records.append(.taskDeleted(task.id))
            records.append(.undone(seq: n + 1))
        }
        let joined = records.reduce(into: [UInt8]()) { $0 += RecordCodec.encode($1) }
        #expect(RecordCodec.encode(records) == joined)
        #expect(RecordCodec.encode([]) == [])
        // Every line still decodes to its record.
        let lines = joined.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == records.count)
        for (line, record) in zip(lines, records) {
            #expect(try RecordCodec.decode(Array(line)) == record)
        }
    }

    @Test("queued records give the batch encoder's bytes, whether the waiter or the writer encodes them first")
    func queuedRecords() async throws {
        let records: [StoreRecord] = (0..<5).flatMap { n in [.task(Self.task(n), requestID: "r\(n)"), .undone(seq: n)] }
        let expected = RecordCodec.encode(records)
        // The waiter first: wait() encodes before it suspends.
        let byWaiter = QueuedRecords(records)
        let ticket = DurableTicket(records: byWaiter)
        ticket.resume()
        try await ticket.wait()
        #expect(byWaiter.bytes == expected)
        // The writer first, with no waiter at all.
        #expect(QueuedRecords(records).bytes == expected)
        // Both at once, from many threads: every reader sees the same bytes.
        let shared = QueuedRecords(records)
        let seen = await withTaskGroup(of: [UInt8].self) { group in
            for i in 0..<16 { group.addTask { if i % 2 == 0 { shared.encode() }; return shared.bytes } }
            return await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(seen.count == 16 && seen.allSatisfy { $0 == expected })
        // No records: a barrier, which writes nothing.
        #expect(QueuedRecords([]).isEmpty && QueuedRecords([]).bytes.isEmpty && !QueuedRecords(records).isEmpty)
    }

    @Test("the undo history keeps the newest entries, in order, across many appends and undos")
    func undoWindow() {
        var table = TaskTable()
        var expected: [Int] = []
        for n in 1...(TaskTable.maxUndo * 3 + 7) {
            table.apply(.undoEntry(seq: n, action: .created, task: Self.task(n)))
            expected.append(n)
            expected = Array(expected.suffix(TaskTable.maxUndo))
            if n % 37 == 0 {
                table.apply(.undone(seq: n - 1))
                expected.removeAll { $0 == n - 1 }
            }
            // A replayed entry (recovery reads it twice) is not listed twice.
            table.apply(.undoEntry(seq: n, action: .created, task: Self.task(n)))
            #expect(table.undoHistory.map(\.seq) == expected, "after \(n)")
        }
        #expect(table.undoHistory.count == TaskTable.maxUndo)
    }
}
