import Synchronization
import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Tasks: add, get, list, idempotency, validation, update, isolation, delete

@Suite("Store contract: tasks", .timeLimit(.minutes(2)))
struct TaskContractTests {
    let alice = user("alice")
    let bob = user("bob")

    @Test("add, get and list in creation order (equal timestamps included)", arguments: StoreKind.available)
    func addGetList(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = try await store.addTask(TaskDraft(title: "  Buy milk ", description: "2 litres"), for: alice, requestID: nil)
            #expect(a.title == "Buy milk" && a.description == "2 litres" && !a.completed)
            #expect(a.createdAt == ManualWallClock().now() && a.updatedAt == a.createdAt)
            let b = try await store.addTask(TaskDraft(title: "Call mum", priority: 2, labels: ["Family", "phone"], project: "Home"),
                                            for: alice, requestID: nil)
            #expect(b.labels == ["family", "phone"] && b.priority == 2 && b.project == "Home")
            let c = try await store.addTask(TaskDraft(title: "Third"), for: alice, requestID: nil)
            #expect(Set([a.id, b.id, c.id]).count == 3)
            #expect(try await store.task(a.id, for: alice) == a)
            #expect(try await store.task(b.id, for: alice) == b)
            #expect(try await store.tasks(for: alice, filter: .all) == [a, b, c])
            let done = try await store.setCompleted(b.id, for: alice)
            #expect(done.completed && done.completedAt != nil)
            #expect(try await store.tasks(for: alice, filter: .completed) == [done])
            #expect(try await store.tasks(for: alice, filter: .pending).map(\.id) == [a.id, c.id])
            #expect(try await store.tasks(for: bob, filter: .all).isEmpty)
        }
    }

    @Test("a repeated request id returns the first task and creates no second", arguments: StoreKind.available)
    func idempotentAdd(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1")
            let again = try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1")
            #expect(first == again)
            #expect(try await store.tasks(for: alice, filter: .all) == [first])
            // The same key from another user is independent.
            let bobs = try await store.addTask(TaskDraft(title: "bob's"), for: bob, requestID: "req-1")
            #expect(bobs.id != first.id && bobs.title == "bob's")
            // Still answered after the task is deleted: nothing new appears.
            _ = try await store.deleteTask(first.id, for: alice)
            #expect(try await store.addTask(TaskDraft(title: "once"), for: alice, requestID: "req-1") == first)
            #expect(try await store.tasks(for: alice, filter: .all).isEmpty)
        }
    }

    @Test("50 concurrent adds, 10 of them sharing 5 request ids: exactly the 45 distinct tasks exist",
          arguments: StoreKind.available)
    func concurrentAdds(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let results = try await withThrowingTaskGroup(of: (Int, TaskItem).self) { group in
                for i in 0..<50 {
                    let key = i < 10 ? "shared-\(i % 5)" : "req-\(i)"
                    let title = i < 10 ? "shared \(i % 5)" : "task \(i)"
                    group.addTask { (i, try await store.addTask(TaskDraft(title: title), for: alice, requestID: key)) }
                }
                var out: [Int: TaskItem] = [:]
                for try await (i, task) in group { out[i] = task }
                return out
            }
            #expect(results.count == 50)
            for k in 0..<5 { #expect(results[k]?.id == results[k + 5]?.id, "request id shared-\(k) made two tasks") }
            let listed = try await store.tasks(for: alice, filter: .all)
            #expect(listed.count == 45)
            #expect(Set(listed.map(\.id)) == Set(results.values.map(\.id)))
            #expect(Set(listed.map(\.title)).count == 45)
        }
    }

    @Test("validation errors name the same field on every store, in the file store's words", arguments: StoreKind.available)
    func validation(kind: StoreKind) async throws {
        let got = try await withStore(kind) { try await Self.validationErrors($0, alice) }
        let golden = kind == .file ? got : try await withStore(.file) { try await Self.validationErrors($0, alice) }
        #expect(got.count == 11)
        for ((what, field, error), (_, _, expected)) in zip(got, golden) {
            #expect(error?.code == .validation && error?.field == field, "\(kind) \(what): got \(String(describing: error))")
            #expect(error == expected, "\(kind) \(what): the file store says \(String(describing: expected))")
        }
    }

    /// Each rejected add and update: what was tried, the field that must be named, and the error the store gave.
    static func validationErrors(_ store: any DataStore, _ alice: UserID) async throws -> [(String, String, TodoError?)] {
        let drafts: [(String, TaskDraft, String?, String)] = [
            ("blank title", TaskDraft(title: "   "), nil, "title"),
            ("empty title", TaskDraft(title: ""), nil, "title"),
            ("long title", TaskDraft(title: String(repeating: "x", count: 201)), nil, "title"),
            ("long description", TaskDraft(title: "ok", description: String(repeating: "d", count: 1001)), nil, "description"),
            ("priority 5", TaskDraft(title: "ok", priority: 5), nil, "priority"),
            ("recurrence without due", TaskDraft(title: "ok", recurrence: Recurrence(.daily)), nil, "recurrence"),
            ("empty request id", TaskDraft(title: "ok"), "", "request_id"),
        ]
        var out: [(String, String, TodoError?)] = []
        for (what, draft, key, field) in drafts {
            out.append(("add " + what, field, await todoError { try await store.addTask(draft, for: alice, requestID: key) }))
        }
        let t = try await store.addTask(TaskDraft(title: "ok"), for: alice, requestID: nil)
        let patches: [(String, TaskPatch, String)] = [
            ("empty title", TaskPatch(title: ""), "title"),
            ("long title", TaskPatch(title: String(repeating: "y", count: 201)), "title"),
            ("priority 0", TaskPatch(priority: .set(0)), "priority"),
            ("recurrence without due", TaskPatch(recurrence: .set(Recurrence(.weekly))), "recurrence"),
        ]
        for (what, patch, field) in patches {
            out.append(("update " + what, field, await todoError { try await store.updateTask(t.id, patch, for: alice) }))
        }
        #expect(try await store.tasks(for: alice, filter: .all) == [t], "a rejected change changes nothing")
        return out
    }
}
