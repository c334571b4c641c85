import Testing
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import ChatKitProtocol
import TodoCore
import TodoStore
@testable import TodoHTTP

// MARK: - GET /api/tasks.ics

@Suite("GET /api/tasks.ics")
struct CalendarRouteTests {
    @Test func servesTheUsersTasksAsICalendar() async throws {
        let h = try await HTTPTestHarness.make()
        let alice = try UserID("alice")
        let draft = TaskDraft(title: "Pay rent, on time", description: "Bank", due: try TaskDue(iso: "2026-12-01T17:00:00+01:00"),
                              timeZone: "Europe/Berlin", priority: 2, labels: ["home"], project: "Flat",
                              recurrence: try Recurrence(rrule: "FREQ=MONTHLY;BYMONTHDAY=1"))
        let rent = try await h.store.addTask(draft, for: alice, requestID: nil)
        let done = try await h.store.addTask(TaskDraft(title: "Done already"), for: alice, requestID: nil)
        _ = try await h.store.setCompleted(done.id, true, for: alice)
        _ = try await h.store.addTask(TaskDraft(title: "Bob's"), for: try UserID("bob"), requestID: nil)
        let token = try await h.token()
        try await h.test { client in
            let all = try await client.call("/api/tasks.ics", .get, token: token)
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(all.text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
            let parsed = ICalendar.importTodos(all.text)
            #expect(parsed.problems.isEmpty)
            #expect(parsed.todos.map(\.draft.title) == ["Pay rent, on time", "Done already"])
            let first = try #require(parsed.todos.first)
            #expect(first.taskID == rent.id)
            #expect(first.draft == (try draft.validated()))

            let completed = try await client.call("/api/tasks.ics?status=completed", .get, token: token)
            #expect(ICalendar.importTodos(completed.text).todos.map(\.draft.title) == ["Done already"])
            let bad = try await client.call("/api/tasks.ics?status=nope", .get, token: token)
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.call("/api/tasks.ics", .get).status == .unauthorized)
        }
        let documented = OpenAPIDocument.document["paths"]?["/api/tasks.ics"]?["get"]?["responses"]?["200"]?["content"]?["text/calendar"]
        #expect(documented != nil)
    }
}
