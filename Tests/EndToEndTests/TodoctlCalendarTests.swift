import Foundation
import Testing
import TodoCore
import TodoTesting

// MARK: - todoctl export --format ics / import FILE.ics against a real todod

@Suite("todoctl iCalendar export and import", .serialized, .timeLimit(.minutes(3)))
struct TodoctlCalendarTests {
    static let source = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Other App//EN
        BEGIN:VTODO
        UID:other-app-1
        SUMMARY:Pay rent\\, on time
        DESCRIPTION:Bank transfer
        DUE;TZID=Europe/Berlin:20261201T170000
        PRIORITY:1
        CATEGORIES:Home,Money
        X-TODOD-PROJECT:Flat
        RRULE:FREQ=MONTHLY;BYMONTHDAY=1
        PRIORITY:x
        END:VTODO
        BEGIN:VTODO
        UID:other-app-2
        SUMMARY:Old chore
        DUE;VALUE=DATE:20261115
        STATUS:COMPLETED
        COMPLETED:20261116T080000Z
        END:VTODO
        END:VCALENDAR

        """

    @Test func importExportAndReimport() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-ics-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment
        let input = dir.appending("in.ics")
        try Data(Self.source.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: URL(fileURLWithPath: input))

        let imported = try await runTodoctl(["import", input], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 2 todo(s): 2 new, 0 updated, 0 unchanged; 1 problem(s)"), "\(imported.stdout)")
        #expect(imported.stderr.contains("in.ics:13: PRIORITY appears again"), "\(imported.stderr)")

        let output = dir.appending("out.ics")
        let exported = try await runTodoctl(["export", "--format", "ics", "--output", output], environment: env)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("Exported 2 task(s)"))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        let back = ICalendar.importTodos(text)
        #expect(back.problems.isEmpty, "\(back.problems)")
        let rent = try #require(back.todos.first { $0.draft.title == "Pay rent, on time" })
        #expect(rent.taskID != nil)
        #expect(rent.draft.due?.iso == "2026-12-01T17:00:00+01:00")
        #expect(rent.draft.timeZone == "Europe/Berlin")
        #expect(rent.draft.priority == 1)
        #expect(rent.draft.labels == ["home", "money"])
        #expect(rent.draft.project == "Flat")
        #expect(rent.draft.recurrence?.rrule == "FREQ=MONTHLY;BYMONTHDAY=1")
        let chore = try #require(back.todos.first { $0.draft.title == "Old chore" })
        #expect(chore.completed)
        #expect(chore.completedAt == Timestamp(rfc3339: "2026-11-16T08:00:00Z"))

        let stdout = try await runTodoctl(["export", "--format", "ics"], environment: env)
        #expect(stdout.stdout.contains("SUMMARY:Pay rent\\, on time\r\n"))

        // Re-importing the export meets the same tasks: nothing new.
        let again = try await runTodoctl(["import", output, "--json"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(result["added"] as? Int == 0)
        #expect(result["unchanged"] as? Int == 2)
        let list = try await runTodoctl(["list", "--json"], environment: env)
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        #expect((tasks["tasks"] as? [Any])?.count == 2)
        #expect(await daemon.stop().status == 0)
    }

    @Test func nothingImportableOrUnreadableExitsNonZero() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-ics-bad-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment
        let bad = dir.appending("bad.txt")
        try Data("BEGIN:VCALENDAR\nBEGIN:VTODO\nDUE:2026-13-45\nEND:VTODO\nEND:VCALENDAR\n".utf8).write(to: URL(fileURLWithPath: bad))
        let none = try await runTodoctl(["import", "--format", "ics", bad], environment: env)
        #expect(none.status == 1)
        #expect(none.stderr.contains("bad.txt:3: DUE"), "\(none.stderr)")
        #expect(none.stderr.contains("bad.txt:2: VTODO has no SUMMARY"), "\(none.stderr)")
        #expect(none.stderr.contains("nothing could be imported"))
        let missing = try await runTodoctl(["import", dir.appending("missing.ics")], environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read"))
        #expect(await daemon.stop().status == 0)
    }
}
