import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Undo history and recurring completion

@Suite("Store contract: undo and recurring tasks", .timeLimit(.minutes(3)))
struct UndoRecurrenceContractTests {
    let alice = user("alice")
    /// Monday 30 November 2026, 10:00 UTC.
    static let monday = Timestamp(rfc3339: "2026-11-30T10:00:00Z")!

    @Test("undo reverts add, update and delete newest first with remaining counts; then nothing to undo",
          arguments: StoreKind.available)
    func undoInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = try await store.addTask(TaskDraft(title: "A"), for: alice, requestID: nil)
            _ = try await store.updateTask(a.id, TaskPatch(title: "A2", priority: .set(2)), for: alice)
            _ = try await store.deleteTask(a.id, for: alice)
            #expect(try await store.tasks(for: alice, filter: .all).isEmpty)

            let first = try await store.undo(for: alice)
            #expect(first.undone == .deleted && first.task.title == "A2" && first.remaining == 2)
            #expect(try await store.task(a.id, for: alice).priority == 2)
            let second = try await store.undo(for: alice)
            #expect(second.undone == .updated && second.task.title == "A" && second.task.priority == nil && second.remaining == 1)
            #expect(try await store.task(a.id, for: alice).title == "A")
            let third = try await store.undo(for: alice)
            #expect(third.undone == .created && third.task.id == a.id && third.remaining == 0)
            #expect(try await store.tasks(for: alice, filter: .all).isEmpty)
            let none = await todoError { try await store.undo(for: alice) }
            #expect(none?.code == .conflict, "got \(String(describing: none))")
        }
    }

    @Test("the history keeps the last 100 changes", arguments: StoreKind.available)
    func historyBounded(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let t = try await store.addTask(TaskDraft(title: "v0"), for: alice, requestID: nil)
            for i in 1...120 { _ = try await store.updateTask(t.id, TaskPatch(title: "v\(i)"), for: alice) }
            var remaining: [Int] = []
            for _ in 0..<100 { remaining.append(try await store.undo(for: alice).remaining) }
            #expect(remaining == Array((0..<100).reversed()))
            #expect(try await store.task(t.id, for: alice).title == "v20")
            #expect(await todoError { try await store.undo(for: alice) }?.code == .conflict)
        }
    }

    @Test("completing a recurring task moves it to the next occurrence; a retry with the same request id changes nothing",
          arguments: StoreKind.available)
    func recurringCompletion(kind: StoreKind) async throws {
        let clock = ManualWallClock(start: Self.monday)
        try await withStore(kind, clock: clock) { store in
            let rent = try await store.addTask(TaskDraft(title: "Pay rent", due: .date(LocalDate(year: 2026, month: 12, day: 1)!),
                                                         recurrence: Recurrence(.monthly, monthDay: 1)), for: alice, requestID: nil)
            clock.advance(milliseconds: 60_000)
            let once = try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-1")
            #expect(once.due?.iso == "2027-01-01" && !once.completed && once.completedAt == clock.now())
            clock.advance(milliseconds: 60_000)
            let retried = try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-1")
            #expect(retried.due == once.due && retried.completedAt == once.completedAt && retried.updatedAt == once.updatedAt)
            #expect(try await store.task(rent.id, for: alice).due?.iso == "2027-01-01")
            let next = try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-2")
            #expect(next.due?.iso == "2027-02-01" && next.completedAt == clock.now())
            #expect(try await store.undo(for: alice).task.due?.iso == "2027-01-01", "undo puts the occurrence back")
            #expect(try await store.tasks(for: alice, filter: .all).count == 1)
        }
    }

    @Test("a late completion skips missed occurrences to today; the 31st falls on short months' last day",
          arguments: StoreKind.available)
    func lateAndMonthEnd(kind: StoreKind) async throws {
        try await withStore(kind, clock: ManualWallClock(start: Self.monday)) { store in
            let daily = try await store.addTask(TaskDraft(title: "Pills", due: .date(LocalDate(year: 2026, month: 11, day: 25)!),
                                                          recurrence: Recurrence(.daily)), for: alice, requestID: nil)
            #expect(try await store.setCompleted(daily.id, for: alice).due?.iso == "2026-11-30")
            var current = try await store.addTask(TaskDraft(title: "Report", due: .date(LocalDate(year: 2026, month: 12, day: 31)!),
                                                            recurrence: Recurrence(.monthly)), for: alice, requestID: nil)
            #expect(current.recurrence?.rrule == "FREQ=MONTHLY;BYMONTHDAY=31")
            var dues: [String] = []
            for _ in 0..<3 {
                current = try await store.setCompleted(current.id, for: alice)
                dues.append(current.due?.iso ?? "none")
            }
            #expect(dues == ["2027-01-31", "2027-02-28", "2027-03-31"])
        }
    }
}
