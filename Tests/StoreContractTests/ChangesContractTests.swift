import Synchronization
import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - The change feed

/// Collects a change stream in the background.
final class ChangeCollector: Sendable {
    private final class Box: Sendable {
        let seen = Mutex<[TaskChange]>([])
        let ended = SignalFlag()
    }

    private let box = Box()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<TaskChange>) {
        task = Task { [box] in
            for await change in stream { box.seen.withLock { $0.append(change) } }
            box.ended.set()
        }
    }

    var changes: [TaskChange] { box.seen.withLock { $0 } }

    /// Waits (bounded) until at least `count` changes arrived.
    func wait(for count: Int) async -> Bool {
        await waitUntil(timeout: .seconds(10)) { self.changes.count >= count }
    }

    /// Whether the stream ended (the store closed it).
    var ended: Bool { box.ended.isSet }

    func stop() { task.cancel() }
}

@Suite("Store contract: change feed", .timeLimit(.minutes(2)))
struct ChangesContractTests {
    let alice = user("alice")
    let bob = user("bob")

    @Test("changes(for:) delivers created, updated and deleted to the right user only", arguments: StoreKind.available)
    func feed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let mine = ChangeCollector(store.changes(for: alice))
            let bobs = ChangeCollector(store.changes(for: bob))
            let all = ChangeCollector(store.changes(for: nil))
            defer { mine.stop(); bobs.stop(); all.stop() }

            let a = try await store.addTask(TaskDraft(title: "watch me"), for: alice, requestID: nil)
            let b = try await store.addTask(TaskDraft(title: "not alice's"), for: bob, requestID: nil)
            let edited = try await store.updateTask(a.id, TaskPatch(title: "watched"), for: alice)
            _ = try await store.deleteTask(a.id, for: alice)

            #expect(await mine.wait(for: 3), "\(kind): alice's three changes, got \(mine.changes.count)")
            #expect(await all.wait(for: 4), "\(kind): every change, got \(all.changes.count)")
            #expect(await bobs.wait(for: 1), "\(kind): bob's change")
            #expect(mine.changes.map(\.kind) == [.created, .updated, .deleted])
            #expect(mine.changes.allSatisfy { $0.user == alice && $0.task.id == a.id })
            #expect(mine.changes.first?.task == a && mine.changes.dropFirst().first?.task == edited)
            #expect(mine.changes.last?.task.title == "watched", "a deleted change carries the task as it was")
            #expect(bobs.changes.map(\.kind) == [.created] && bobs.changes.first?.task == b && bobs.changes.first?.user == bob)
            #expect(Set(all.changes.map(\.user)) == [alice, bob] && all.changes.count == 4)

            // An undo is published too, and a later change of alice's arrives after bob's, so bob's never reached her.
            _ = try await store.undo(for: alice)
            #expect(await mine.wait(for: 4))
            #expect(mine.changes.count == 4 && mine.changes.last?.kind == .created && mine.changes.last?.task.id == a.id)
            #expect(!mine.changes.contains { $0.task.id == b.id })
        }
    }

    @Test("an idempotent repeat and a rejected change publish nothing", arguments: StoreKind.available)
    func quietOnNoChange(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let feed = ChangeCollector(store.changes(for: alice))
            defer { feed.stop() }
            let t = try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "k1")
            _ = try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "k1")
            _ = await todoError { try await store.updateTask(t.id, TaskPatch(title: ""), for: alice) }
            let marker = try await store.addTask(TaskDraft(title: "marker"), for: alice, requestID: nil)
            #expect(await feed.wait(for: 2))
            #expect(feed.changes.map(\.task.id) == [t.id, marker.id], "\(kind): \(feed.changes.map(\.task.title))")
        }
    }
}
