import Foundation
import Testing
import TodoCore
@testable import TodoStore

// MARK: - Undo history and recurring completion, through the store and across restarts

@Suite("Store: undo and recurring tasks")
struct UndoAndRecurrenceStoreTests {
    let alice = user("alice")
    /// Monday 30 November 2026, 10:00 UTC.
    static let monday = Timestamp(rfc3339: "2026-11-30T10:00:00Z")!

    private func utcOptions() -> StoreOptions { StoreOptions(timeZone: TimeZone(identifier: "UTC")!) }

    @Test("undo reverts add, update and delete newest first, and says when nothing is left")
    func undoInOrder() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        let a = try await store.addTask(TaskDraft(title: "A"), for: alice, requestID: nil)
        let edited = try await store.updateTask(a.id, TaskPatch(title: "A2", priority: .set(2)), for: alice)
        _ = try await store.deleteTask(a.id, for: alice)
        #expect(try await store.tasks(for: alice, filter: .all).isEmpty)

        let first = try await store.undo(for: alice)
        #expect(first.undone == .deleted && first.task.title == "A2" && first.remaining == 2)
        #expect(try await store.task(a.id, for: alice).priority == 2)
        let second = try await store.undo(for: alice)
        #expect(second.undone == .updated && second.task.title == "A" && second.task.priority == nil)
        let third = try await store.undo(for: alice)
        #expect(third.undone == .created && third.task.id == a.id && third.remaining == 0)
        #expect(try await store.tasks(for: alice, filter: .all).isEmpty)
        await #expect(throws: TodoError.conflict("nothing to undo")) { try await store.undo(for: alice) }
        _ = edited
    }

    @Test("the last 60 changes survive a restart and undo one by one; another user's history is separate")
    func undoSurvivesRestart() async throws {
        let disk = SimulatedDisk()
        var store = try await openSimulated(disk)
        let t = try await store.addTask(TaskDraft(title: "v0"), for: alice, requestID: nil)
        for i in 1...60 { _ = try await store.updateTask(t.id, TaskPatch(title: "v\(i)"), for: alice) }
        _ = try await store.addTask(TaskDraft(title: "bob's"), for: user("bob"), requestID: nil)
        await store.close()
        disk.crash()
        store = try await openSimulated(disk)
        #expect(await store.undoDepth(for: alice) == 61)
        for i in stride(from: 59, through: 0, by: -1) {
            #expect(try await store.undo(for: alice).task.title == "v\(i)")
        }
        await store.close()
        disk.crash()
        store = try await openSimulated(disk)
        #expect(try await store.task(t.id, for: alice).title == "v0")
        #expect(await store.undoDepth(for: alice) == 1)
        #expect(await store.undoDepth(for: user("bob")) == 1)
        #expect(try await store.tasks(for: user("bob"), filter: .all).count == 1)
    }

    @Test("completing a recurring task moves it on once; a retry with the same request id, even after a restart, does not skip")
    func recurringCompletionRetry() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock(start: Self.monday)
        var store = try await openSimulated(disk, options: utcOptions(), clock: clock)
        let rent = try await store.addTask(TaskDraft(title: "Pay rent", due: .date(LocalDate(year: 2026, month: 12, day: 1)!),
                                                     recurrence: Recurrence(.monthly, monthDay: 1)), for: alice, requestID: nil)
        let once = try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-1")
        #expect(once.due?.iso == "2027-01-01" && !once.completed && once.completedAt == Self.monday)
        #expect(try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-1") == once)
        await store.close()
        disk.crash()
        store = try await openSimulated(disk, options: utcOptions(), clock: clock)
        #expect(try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-1").due?.iso == "2027-01-01")
        let next = try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "done-2")
        #expect(next.due?.iso == "2027-02-01")
        // Undo of a recurring completion puts the occurrence back.
        #expect(try await store.undo(for: alice).task.due?.iso == "2027-01-01")
    }

    @Test("a late completion skips missed occurrences to today; the 31st falls on the last day of short months")
    func lateAndMonthEnd() async throws {
        let clock = ManualWallClock(start: Self.monday)
        let store = try await openSimulated(SimulatedDisk(), options: utcOptions(), clock: clock)
        let daily = try await store.addTask(TaskDraft(title: "Pills", due: .date(LocalDate(year: 2026, month: 11, day: 25)!),
                                                      recurrence: Recurrence(.daily)), for: alice, requestID: nil)
        #expect(try await store.setCompleted(daily.id, for: alice).due?.iso == "2026-11-30")
        let eom = try await store.addTask(TaskDraft(title: "Report", due: .date(LocalDate(year: 2026, month: 12, day: 31)!),
                                                    recurrence: Recurrence(.monthly)), for: alice, requestID: nil)
        #expect(eom.recurrence?.rrule == "FREQ=MONTHLY;BYMONTHDAY=31", "anchored to the due date's day")
        var dues: [String] = []
        var current = eom
        clock.advance(milliseconds: 0)
        for _ in 0..<3 {
            current = try await store.setCompleted(current.id, for: alice)
            dues.append(current.due!.iso)
        }
        #expect(dues == ["2027-01-31", "2027-02-28", "2027-03-31"])
        // A non-recurring task completes normally and records completed_at.
        let plain = try await store.addTask(TaskDraft(title: "Once"), for: alice, requestID: nil)
        let done = try await store.setCompleted(plain.id, for: alice)
        #expect(done.completed && done.completedAt == Self.monday)
        #expect(try await store.updateTask(plain.id, TaskPatch(completed: false), for: alice).completedAt == nil)
    }
}
