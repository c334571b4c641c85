import Foundation
import Testing
import TodoCore
@testable import TodoStore

// MARK: - Domain and store behaviour

@Suite("Store basics", .timeLimit(.minutes(2)))
struct StoreBasicsTests {
    let alice = user("alice")
    let bob = user("bob")

    @Test("add, get, list with filters, update, complete, delete")
    func crud() async throws {
        let store = try await openSimulated(SimulatedDisk())
        let a = try await store.addTask(TaskDraft(title: "  Buy milk ", description: "2 litres"), for: alice, requestID: nil)
        #expect(a.title == "Buy milk")
        #expect(a.description == "2 litres")
        let b = try await store.addTask(TaskDraft(title: "Call mum"), for: alice, requestID: nil)
        #expect(try await store.task(a.id, for: alice) == a)
        #expect(try await store.tasks(for: alice, filter: .all).map(\.id) == [a.id, b.id])
        let done = try await store.setCompleted(b.id, for: alice)
        #expect(done.completed)
        #expect(try await store.tasks(for: alice, filter: .completed).map(\.id) == [b.id])
        #expect(try await store.tasks(for: alice, filter: .pending).map(\.id) == [a.id])
        let edited = try await store.updateTask(a.id, TaskPatch(title: "Buy oat milk", description: ""), for: alice)
        #expect(edited.title == "Buy oat milk" && edited.description == nil)
        #expect(try await store.deleteTask(a.id, for: alice) == edited)
        await #expect(throws: TodoError.notFound("task \(a.id)")) { try await store.task(a.id, for: alice) }
        await #expect(throws: TodoError.self) { try await store.updateTask(a.id, TaskPatch(completed: true), for: alice) }
        await #expect(throws: TodoError.self) { try await store.deleteTask(a.id, for: alice) }
        await store.close()
    }

    @Test("validation errors name the field")
    func validation() async throws {
        let store = try await openSimulated(SimulatedDisk())
        let cases: [(TaskDraft, String)] = [
            (TaskDraft(title: "   "), "title"),
            (TaskDraft(title: String(repeating: "x", count: 201)), "title"),
            (TaskDraft(title: "ok", description: String(repeating: "d", count: 1001)), "description"),
        ]
        for (draft, field) in cases {
            do {
                _ = try await store.addTask(draft, for: alice, requestID: nil)
                Issue.record("expected a validation error for \(field)")
            } catch let error as TodoError {
                #expect(error.code == .validation && error.field == field)
            }
        }
        let t = try await store.addTask(TaskDraft(title: "ok"), for: alice, requestID: nil)
        do {
            _ = try await store.updateTask(t.id, TaskPatch(title: ""), for: alice)
            Issue.record("expected a validation error")
        } catch let error as TodoError {
            #expect(error.field == "title")
        }
        await #expect(throws: TodoError.validation(field: "request_id", "request id must be 1-128 printable characters")) {
            try await store.addTask(TaskDraft(title: "x"), for: alice, requestID: "")
        }
        await #expect(throws: TodoError.self) {
            try await store.saveThread(StoredThread(id: "../etc", createdAt: Timestamp(millisecondsSinceEpoch: 0), payload: "{}"), for: alice)
        }
        #expect(throws: TodoError.self) { try UserID("../root") }
        #expect(throws: TodoError.self) { try TaskID("a/b") }
        #expect(try await store.tasks(for: alice, filter: .all).count == 1)
    }

    @Test("another user's id behaves like a missing one")
    func isolation() async throws {
        let store = try await openSimulated(SimulatedDisk())
        let t = try await store.addTask(TaskDraft(title: "secret"), for: alice, requestID: nil)
        await #expect(throws: TodoError.notFound("task \(t.id)")) { try await store.task(t.id, for: bob) }
        await #expect(throws: TodoError.notFound("task \(t.id)")) { try await store.updateTask(t.id, TaskPatch(completed: true), for: bob) }
        await #expect(throws: TodoError.notFound("task \(t.id)")) { try await store.deleteTask(t.id, for: bob) }
        #expect(try await store.tasks(for: bob, filter: .all).isEmpty)
        #expect(try await store.task(t.id, for: alice).completed == false)
    }

    @Test("a repeated requestID returns the first task, also after a restart and after compaction")
    func idempotency() async throws {
        let disk = SimulatedDisk()
        var store = try await openSimulated(disk)
        let first = try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1")
        let again = try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1")
        #expect(first == again)
        await store.close()
        disk.crash()
        store = try await openSimulated(disk)
        #expect(try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1") == first)
        #expect(try await store.tasks(for: alice, filter: .all) == [first])
        _ = try await store.deleteTask(first.id, for: alice)
        _ = try await store.compact()
        await store.close()
        disk.crash()
        store = try await openSimulated(disk)
        #expect(try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1") == first)
        #expect(try await store.tasks(for: alice, filter: .all).isEmpty)
        // The same key from another user is independent.
        let bobs = try await store.addTask(TaskDraft(title: "bob's"), for: bob, requestID: "req-1")
        #expect(bobs.id != first.id)
    }

    @Test("changes are published after durability and streams clean up on termination")
    func changes() async throws {
        let store = try await openSimulated(SimulatedDisk())
        let stream = store.changes(for: alice)
        var iterator = stream.makeAsyncIterator()
        #expect(store.subscriberCount == 1)
        let t = try await store.addTask(TaskDraft(title: "watch me"), for: alice, requestID: nil)
        _ = try await store.addTask(TaskDraft(title: "not mine"), for: bob, requestID: nil)
        _ = try await store.deleteTask(t.id, for: alice)
        let first = await iterator.next()
        let second = await iterator.next()
        #expect(first?.kind == .created && first?.task.id == t.id)
        #expect(second?.kind == .deleted && second?.user == alice)
        let task = Task { for await _ in store.changes(for: nil) {} }
        for _ in 0..<500 where store.subscriberCount != 2 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(store.subscriberCount == 2)
        task.cancel()
        for _ in 0..<500 where store.subscriberCount != 1 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(store.subscriberCount == 1)
        await store.close()
        #expect(await iterator.next() == nil)
    }

    @Test("group commit: concurrent adds share fdatasyncs; without it every add has its own", arguments: [true, false])
    func groupCommit(enabled: Bool) async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk, options: StoreOptions(groupCommit: enabled))
        _ = try await store.addTask(TaskDraft(title: "first"), for: alice, requestID: nil)
        let syncsBefore = disk.count(of: .fsync)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<16 {
                group.addTask { for i in 0..<10 { _ = try await store.addTask(TaskDraft(title: "c\(c) #\(i)"), for: alice, requestID: nil) } }
            }
            try await group.waitForAll()
        }
        let syncs = disk.count(of: .fsync) - syncsBefore
        let stats = await store.stats()
        #expect(stats.tasks == 161 && stats.appends == 161)
        if enabled {
            #expect(syncs < 160 && stats.syncs < stats.appends, "\(syncs) fdatasyncs for 160 adds")
        } else {
            #expect(syncs == 160 && stats.syncs == stats.appends)
        }
        await store.close()
        disk.crash()
        #expect(try await openSimulated(disk).tasks(for: alice, filter: .all).count == 161)
    }

    @Test("threads and items: save, replace in place, page both ways, delete")
    func threads() async throws {
        let disk = SimulatedDisk()
        var store = try await openSimulated(disk)
        let at = { (ms: Int64) in Timestamp(millisecondsSinceEpoch: 1_767_225_600_000 + ms) }
        for i in 0..<3 { try await store.saveThread(StoredThread(id: "thr_\(i)", createdAt: at(Int64(i)), payload: "{\"n\":\(i)}"), for: alice) }
        for i in 0..<1000 {
            try await store.saveItem(StoredItem(id: "it_\(i)", threadID: "thr_0", createdAt: at(Int64(i)), payload: "{\"text\":\"m\(i)\"}"), for: alice)
        }
        try await store.saveItem(StoredItem(id: "it_5", threadID: "thr_0", createdAt: at(5), payload: "{\"text\":\"edited\"}"), for: alice)
        let page1 = try await store.items(threadID: "thr_0", for: alice, page: PageRequest(limit: 3, order: .asc))
        #expect(page1.data.map(\.id) == ["it_0", "it_1", "it_2"] && page1.hasMore && page1.after == "it_2")
        let page2 = try await store.items(threadID: "thr_0", for: alice, page: PageRequest(after: "it_2", limit: 3, order: .asc))
        #expect(page2.data.map(\.id) == ["it_3", "it_4", "it_5"])
        #expect(page2.data[2].payload == "{\"text\":\"edited\"}")
        let last = try await store.items(threadID: "thr_0", for: alice, page: PageRequest(limit: 2, order: .desc))
        #expect(last.data.map(\.id) == ["it_999", "it_998"])
        try await store.deleteItem("it_998", threadID: "thr_0", for: alice)
        let after = try await store.items(threadID: "thr_0", for: alice, page: PageRequest(after: "it_999", limit: 1, order: .desc))
        #expect(after.data.map(\.id) == ["it_997"])
        let threads = try await store.threads(for: alice, page: PageRequest(limit: 2))
        #expect(threads.data.map(\.id) == ["thr_2", "thr_1"] && threads.hasMore)
        await #expect(throws: TodoError.notFound("thread thr_1")) { try await store.thread("thr_1", for: bob) }
        await #expect(throws: TodoError.notFound("thread nope")) {
            try await store.saveItem(StoredItem(id: "x", threadID: "nope", createdAt: at(0), payload: "{}"), for: alice)
        }
        try await store.deleteThread("thr_1", for: alice)
        await store.close()
        disk.crash()
        store = try await openSimulated(disk)
        #expect(try await store.threads(for: alice, page: PageRequest(limit: 10, order: .asc)).data.map(\.id) == ["thr_0", "thr_2"])
        #expect(try await store.item("it_5", threadID: "thr_0", for: alice).payload == "{\"text\":\"edited\"}")
        await #expect(throws: TodoError.self) { try await store.item("it_998", threadID: "thr_0", for: alice) }
        let stats = await store.stats()
        #expect(stats.threads == 2 && stats.items == 999 && stats.users == 1)
    }
}
