import Foundation
import Testing
import TodoControl
import TodoCore
import TodoTesting

// MARK: - The shared filter fixture over the control socket

/// Loads `FilterFixture` into a real in-process daemon whose clock is fixed at `FilterFixture.now`, then runs
/// every fixture query as `tasks.list` over the control socket and compares the titles, in order.
@Suite("Control socket: filters, quick add and undo (task model v2)", .serialized, .timeLimit(.minutes(2)))
struct ControlFilterFixtureTests {
    /// The fixture's wire query as `tasks.list` params, read in the fixture's zone.
    static func params(_ query: [String: String]) throws -> ListTasksParams {
        var p = ListTasksParams(timeZone: FilterFixture.zone)
        for (key, value) in query {
            switch key {
            case "status": p.status = try TaskFilter(parsing: value)
            case "view": p.view = value
            case "due": p.due = value
            case "due_before": p.dueBefore = value
            case "due_after": p.dueAfter = value
            case "priority": p.priority = try #require(Int(value))
            case "label": p.label = value
            case "project": p.project = value
            case "q": p.q = value
            case "sort": p.sort = value
            case "limit": p.limit = try #require(Int(value))
            default: Issue.record("unknown fixture parameter \(key)")
            }
        }
        return p
    }

    /// Adds the fixture's drafts over the socket (dues as ISO, recurrences as RRULE) and completes the completed ones.
    static func load(_ client: ControlClient) async throws -> [TaskItem] {
        var created: [TaskItem] = []
        for d in FilterFixture.drafts {
            created.append(try await client.call(ControlMethods.AddTask.self, AddTaskParams(
                title: d.title, description: d.description, due: d.due?.iso, priority: d.priority, labels: d.labels,
                project: d.project, recurrence: d.recurrence?.rrule, timeZone: d.timeZone ?? FilterFixture.zone)))
        }
        for i in FilterFixture.completedIndexes {
            created[i] = try await client.call(ControlMethods.CompleteTask.self, CompleteTaskParams(id: created[i].id))
        }
        return created
    }

    @Test func everyFixtureQueryAnswersAsExpected() async throws {
        try await withRunningDaemon(clock: ManualWallClock(start: FilterFixture.now)) { _, socket, _ in
            let client = ControlClient(socketPath: socket)
            let created = try await Self.load(client)
            #expect(created.map(\.title) == FilterFixture.drafts.map(\.title))
            #expect(created[FilterFixture.completedIndexes[0]].completed)
            let ids = Dictionary(uniqueKeysWithValues: created.map { ($0.title, $0.id) })
            for c in FilterFixture.cases {
                let tasks = try await client.call(ControlMethods.ListTasks.self, try Self.params(c.query)).tasks
                #expect(tasks.map(\.title) == c.expectedTitles, "\(c.name): \(c.query)")
                #expect(tasks.map(\.id) == c.expectedTitles.compactMap { ids[$0] }, "\(c.name)")
            }
        }
    }

    @Test func quickAddUpdateCompleteAndUndo() async throws {
        try await withRunningDaemon(clock: ManualWallClock(start: FilterFixture.now)) { _, socket, _ in
            let client = ControlClient(socketPath: socket)
            let rent = try await client.call(ControlMethods.AddTask.self, AddTaskParams(
                text: "Pay rent every month on the 1st p1 @bills #home", timeZone: FilterFixture.zone, requestID: "r-add"))
            #expect(rent.title == "Pay rent")
            #expect(rent.due?.iso == "2026-07-01")
            #expect(rent.recurrence?.rrule.contains("BYMONTHDAY=1") == true)
            #expect(rent.priority == 1 && rent.labels == ["bills"] && rent.project == "home")
            #expect(rent.timeZone == FilterFixture.zone)

            // A retried completion (same request id) moves a recurring task on once, not twice.
            let done = CompleteTaskParams(id: rent.id, requestID: "r-done")
            let first = try await client.call(ControlMethods.CompleteTask.self, done)
            let retried = try await client.call(ControlMethods.CompleteTask.self, done)
            #expect(first.due?.iso == "2026-08-01")
            #expect(retried.due == first.due)
            #expect(!retried.completed)

            let cleared = try await client.call(ControlMethods.UpdateTask.self, UpdateTaskParams(
                id: rent.id, due: .value("friday 17:00"), priority: .null, labels: .value([]), recurrence: .null, timeZone: FilterFixture.zone))
            #expect(cleared.due?.iso == "2026-06-12T17:00:00+02:00")
            #expect(cleared.priority == nil && cleared.labels.isEmpty && cleared.recurrence == nil)
            #expect(cleared.project == "home")

            let undone = try await client.call(ControlMethods.UndoTask.self, EmptyParams())
            #expect(undone.undone == .updated)
            #expect(undone.task.priority == 1)
            #expect(undone.task.due?.iso == "2026-08-01")

            do {
                _ = try await client.call(ControlMethods.ListTasks.self, ListTasksParams(view: "today", timeZone: "Mars/Olympus"))
                Issue.record("an unknown zone was accepted")
            } catch let error as ControlError {
                #expect(error.rpcError?.code == RPCError.invalidParamsCode)
                #expect(error.rpcError?.data?.field == "time_zone")
            }
            do {
                _ = try await client.call(ControlMethods.AddTask.self, AddTaskParams(title: "x", due: "the day after never"))
                Issue.record("bad due words were accepted")
            } catch let error as ControlError {
                #expect(error.rpcError?.data?.field == "due")
            }
        }
    }

    @Test func undoWithNothingLeftIsAConflict() async throws {
        try await withRunningDaemon { _, socket, _ in
            let client = ControlClient(socketPath: socket)
            let task = try await client.call(ControlMethods.AddTask.self, AddTaskParams(title: "once"))
            let undone = try await client.call(ControlMethods.UndoTask.self, EmptyParams())
            #expect(undone.undone == .created)
            #expect(undone.task.id == task.id)
            #expect(try await client.call(ControlMethods.ListTasks.self, ListTasksParams()).tasks.isEmpty)
            do {
                _ = try await client.call(ControlMethods.UndoTask.self, EmptyParams())
                Issue.record("undo with nothing to undo succeeded")
            } catch let error as ControlError {
                #expect(error.rpcError?.code == RPCError.conflictCode)
            }
        }
    }
}
