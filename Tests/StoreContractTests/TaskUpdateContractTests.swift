import Foundation
import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Tasks: update each field, clear, not found, user isolation, delete

@Suite("Store contract: updates, isolation, delete", .timeLimit(.minutes(2)))
struct TaskUpdateContractTests {
    let alice = user("alice")
    let bob = user("bob")
    static let june1 = TaskDue.date(LocalDate(year: 2026, month: 6, day: 1)!)
    static let june2at9 = TaskDue.dateTime(LocalDate(year: 2026, month: 6, day: 2)!, secondOfDay: 9 * 3600, offsetSeconds: 7200)

    @Test("update sets each field, FieldEdit.clear removes it, updated_at moves", arguments: StoreKind.available)
    func updateEachField(kind: StoreKind) async throws {
        let clock = ManualWallClock()
        try await withStore(kind, clock: clock) { store in
            let t = try await store.addTask(TaskDraft(title: "Plan"), for: alice, requestID: nil)
            clock.advance(milliseconds: 1000)
            var cur = try await store.updateTask(t.id, TaskPatch(title: " Plan trip ", description: "to Rome"), for: alice)
            #expect(cur.title == "Plan trip" && cur.description == "to Rome" && cur.updatedAt == clock.now() && cur.createdAt == t.createdAt)
            cur = try await store.updateTask(t.id, TaskPatch(due: .set(Self.june2at9), timeZone: .set("Europe/Berlin")), for: alice)
            #expect(cur.due == Self.june2at9 && cur.timeZone == "Europe/Berlin")
            cur = try await store.updateTask(t.id, TaskPatch(priority: .set(1), labels: ["Travel", "fun", "travel"], project: .set("Holidays")), for: alice)
            #expect(cur.priority == 1 && cur.labels == ["fun", "travel"] && cur.project == "Holidays")
            cur = try await store.updateTask(t.id, TaskPatch(due: .set(Self.june1), recurrence: .set(Recurrence(.weekly))), for: alice)
            #expect(cur.due == Self.june1 && cur.recurrence != nil && cur.timeZone == "Europe/Berlin")
            #expect(try await store.task(t.id, for: alice) == cur)

            clock.advance(milliseconds: 1000)
            cur = try await store.updateTask(t.id, TaskPatch(description: "", priority: .clear, labels: [], project: .clear,
                                                             recurrence: .clear), for: alice)
            #expect(cur.description == nil && cur.priority == nil && cur.labels.isEmpty && cur.project == nil && cur.recurrence == nil)
            #expect(cur.due == Self.june1 && cur.timeZone == nil, "an all-day due without recurrence keeps no zone")
            cur = try await store.updateTask(t.id, TaskPatch(due: .clear), for: alice)
            #expect(cur.due == nil && cur.updatedAt == clock.now())
            let done = try await store.updateTask(t.id, TaskPatch(completed: true), for: alice)
            #expect(done.completed && done.completedAt == clock.now())
            let reopened = try await store.updateTask(t.id, TaskPatch(completed: false), for: alice)
            #expect(!reopened.completed && reopened.completedAt == nil)
            #expect(try await store.tasks(for: alice, filter: .all) == [reopened])
        }
    }

    @Test("a missing id and another user's id are both notFound, in the same words", arguments: StoreKind.available)
    func notFoundAndIsolation(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let secret = try await store.addTask(TaskDraft(title: "secret", priority: 3), for: alice, requestID: nil)
            let missing = try TaskID("t_doesnotexist")
            let calls: [(String, @Sendable (any DataStore, UserID, TaskID) async throws -> Void)] = [
                ("get", { s, u, id in _ = try await s.task(id, for: u) }),
                ("update", { s, u, id in _ = try await s.updateTask(id, TaskPatch(title: "mine now"), for: u) }),
                ("complete", { s, u, id in _ = try await s.updateTask(id, TaskPatch(completed: true), for: u, requestID: "r") }),
                ("delete", { s, u, id in _ = try await s.deleteTask(id, for: u) }),
            ]
            for (name, call) in calls {
                let absent = await todoError { try await call(store, alice, missing) }
                let foreign = await todoError { try await call(store, bob, secret.id) }
                #expect(absent?.code == .notFound, "\(name) of a missing id: \(String(describing: absent))")
                #expect(foreign?.code == .notFound, "\(name) of alice's id as bob: \(String(describing: foreign))")
                #expect(foreign?.message == absent?.message.replacingOccurrences(of: missing.rawValue, with: secret.id.rawValue),
                        "\(name): another user's id must read exactly like a missing one")
            }
            // Bob's undo sees only bob's (empty) history.
            #expect(await todoError { try await store.undo(for: bob) }?.code == .conflict)
            #expect(try await store.tasks(for: bob, filter: .all).isEmpty)
            #expect(try await store.task(secret.id, for: alice) == secret, "nothing bob tried changed alice's task")
            #expect(try await store.undo(for: alice).undone == .created, "alice's history is intact")
        }
    }

    @Test("delete returns the task as it was; it is gone from get, list, update and a second delete",
          arguments: StoreKind.available)
    func delete(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = try await store.addTask(TaskDraft(title: "A", labels: ["x"]), for: alice, requestID: nil)
            let b = try await store.addTask(TaskDraft(title: "B"), for: alice, requestID: nil)
            let edited = try await store.updateTask(a.id, TaskPatch(title: "A2"), for: alice)
            #expect(try await store.deleteTask(a.id, for: alice) == edited)
            #expect(await todoError { try await store.task(a.id, for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.updateTask(a.id, TaskPatch(title: "x"), for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.deleteTask(a.id, for: alice) }?.code == .notFound)
            #expect(try await store.tasks(for: alice, filter: .all) == [b])
        }
    }
}
