import Foundation
import Testing
import TodoCore

/// todod → .ics → todod keeps every field, and the text is well-formed RFC 5545.
@Suite struct ICalendarRoundTripTests {
    static let now = Timestamp(millisecondsSinceEpoch: 1_795_000_000_123)

    static func task(_ id: String, _ title: String = "Task", configure: (inout TaskItem) throws -> Void = { _ in }) rethrows -> TaskItem {
        var t = TaskItem(id: try! TaskID(id), title: title, description: nil, completed: false,
                         createdAt: Timestamp(millisecondsSinceEpoch: 1_790_000_000_456),
                         updatedAt: Timestamp(millisecondsSinceEpoch: 1_791_000_000_789))
        try configure(&t)
        return t
    }

    /// Exports, imports, and rebuilds a task the way an importer would, to compare with the original.
    static func roundTrip(_ task: TaskItem) throws -> (ImportedTodo, ICalendarImport) {
        let result = ICalendar.importTodos(ICalendar.export([task], now: now))
        #expect(result.problems.isEmpty, "\(result.problems)")
        let todo = try #require(result.todos.first)
        #expect(result.todos.count == 1)
        #expect(todo.taskID == task.id)
        #expect(try todo.draft.validated() == todo.draft)
        return (todo, result)
    }

    static func expectSame(_ todo: ImportedTodo, _ task: TaskItem) {
        #expect(todo.draft.title == task.title)
        #expect(todo.draft.description == task.description)
        #expect(todo.draft.due == task.due)
        #expect(todo.draft.due?.iso == task.due?.iso)
        #expect(todo.draft.timeZone == task.timeZone)
        #expect(todo.draft.priority == task.priority)
        #expect(todo.draft.labels == task.labels)
        #expect(todo.draft.project == task.project)
        #expect(todo.draft.recurrence == task.recurrence)
        #expect(todo.completed == task.completed)
        #expect(todo.completedAt == task.completedAt)
    }

    @Test func everyFieldSurvives() throws {
        let original = try Self.task("t_full", "Ship, release; then \\ celebrate") {
            $0.description = "Line one\nLine two, with comma; semicolon \\ backslash — ünïcödé ✓"
            $0.due = try TaskDue(iso: "2026-12-01T17:00:00+01:00")
            $0.timeZone = "Europe/Berlin"
            $0.priority = 2
            $0.labels = ["home", "work-stuff", "ü.x"]
            $0.project = "Big, important; project"
            $0.recurrence = try TaskRules.recurrence(Recurrence(rrule: "FREQ=WEEKLY;BYDAY=MO,WE"), due: $0.due)
            $0.completedAt = Timestamp(millisecondsSinceEpoch: 1_794_000_000_321)
        }
        let (todo, _) = try Self.roundTrip(original)
        Self.expectSame(todo, original)
        #expect(todo.createdAt?.millisecondsSinceEpoch == 1_790_000_000_000)
    }

    @Test(arguments: ["2026-12-01", "2026-12-01T17:00:00+01:00", "2026-06-30T23:59:59-09:30", "2026-03-29T02:30:00+05:45",
                      "2026-12-01T08:00:00Z", "0001-01-01", "9999-12-31"])
    func dueWithBareOffsetOrDate(iso: String) throws {
        let original = try Self.task("t_due") { $0.due = try TaskDue(iso: iso) }
        let (todo, _) = try Self.roundTrip(original)
        Self.expectSame(todo, original)
    }

    @Test(arguments: ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"])
    func dueWithZone(zone: String) throws {
        let context = DateContext(now: Self.now, zone: try DateContext.zone(named: zone))
        let original = try Self.task("t_zone") {
            $0.due = context.due(on: LocalDate(year: 2026, month: 7, day: 4)!, at: 9 * 3600 + 30 * 60)
            $0.timeZone = zone
        }
        let (todo, _) = try Self.roundTrip(original)
        Self.expectSame(todo, original)
    }

    @Test(arguments: [nil, 1, 2, 3, 4] as [Int?])
    func priorities(priority: Int?) throws {
        let original = Self.task("t_p") { $0.priority = priority }
        let text = ICalendar.export([original], now: Self.now)
        #expect(text.contains("PRIORITY:") == (priority != nil))
        let (todo, _) = try Self.roundTrip(original)
        #expect(todo.draft.priority == priority)
    }

    @Test func priorityMappingCoversEveryICalValue() {
        #expect((0...9).map(ICalendar.todoPriority) == [nil, 1, 1, 2, 2, 3, 3, 4, 4, 4])
        #expect([1, 2, 3, 4].map { ICalendar.icalPriority($0) } == [1, 3, 5, 7])
        #expect(ICalendar.icalPriority(nil) == nil)
    }

    @Test(arguments: ["FREQ=DAILY", "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR",
                      "FREQ=MONTHLY", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=15",
                      "FREQ=YEARLY", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"])
    func recurrences(rrule: String) throws {
        for dueText in ["2026-01-31", "2026-01-31T09:00:00-05:00"] {
            let original = try Self.task("t_r") {
                $0.due = try TaskDue(iso: dueText)
                $0.timeZone = $0.due?.instant == nil ? nil : "America/New_York"
                $0.recurrence = try TaskRules.recurrence(Recurrence(rrule: rrule), due: $0.due)
            }
            let text = ICalendar.export([original], now: Self.now)
            #expect(text.contains("\r\nDTSTART"))
            let (todo, _) = try Self.roundTrip(original)
            Self.expectSame(todo, original)
        }
    }

    @Test func completionStates() throws {
        let done = Self.task("t_done") { $0.completed = true; $0.completedAt = Timestamp(millisecondsSinceEpoch: 1_794_000_000_999) }
        let open = Self.task("t_open") { $0.completed = false }
        let recurringDone = try Self.task("t_rec") {
            $0.due = try TaskDue(iso: "2026-12-08")
            $0.recurrence = Recurrence(.weekly)
            $0.completedAt = Timestamp(millisecondsSinceEpoch: 1_794_000_000_500)
        }
        for original in [done, open, recurringDone] {
            let (todo, _) = try Self.roundTrip(original)
            Self.expectSame(todo, original)
        }
        let text = ICalendar.export([done], now: Self.now)
        #expect(text.contains("\r\nSTATUS:COMPLETED\r\n"))
        #expect(text.contains("\r\nCOMPLETED:20261106T212000Z"))
        #expect(ICalendar.export([recurringDone], now: Self.now).contains("STATUS:NEEDS-ACTION"))
    }

    @Test func textIsCRLFFoldedAndEscaped() throws {
        let long = String(repeating: "ä€𝄞x", count: 40)
        let original = Self.task("t_fold", long) { $0.description = "a,b;c\\d\ne" }
        let text = ICalendar.export([original], now: Self.now)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//todod//todod//EN\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for line in physical { #expect(line.utf8.count <= 75, "\(line)") }
        #expect(text.replacingOccurrences(of: "\r\n ", with: "").contains("SUMMARY:" + long + "\r\n"))
        #expect(physical.contains { $0.hasPrefix(" ") })
        #expect(text.contains("DESCRIPTION:a\\,b\\;c\\\\d\\ne\r\n"))
        #expect(text.contains("UID:t_fold@todod\r\n"))
        #expect(text.contains("DTSTAMP:20261118T110640Z"))
        let (todo, _) = try Self.roundTrip(original)
        Self.expectSame(todo, original)
    }

    @Test func timedDueIsUTCForOtherApps() throws {
        let original = try Self.task("t_utc") { $0.due = try TaskDue(iso: "2026-12-01T17:00:00+01:00"); $0.timeZone = "Europe/Berlin" }
        let text = ICalendar.export([original], now: Self.now)
        #expect(text.contains("\r\nDUE:20261201T160000Z\r\n"))
        #expect(text.contains("\r\nX-TODOD-DUE:2026-12-01T17:00:00+01:00\r\n"))
        #expect(text.contains("\r\nX-TODOD-TZID:Europe/Berlin\r\n"))
        let allDay = try Self.task("t_day") { $0.due = try TaskDue(iso: "2026-12-01") }
        #expect(ICalendar.export([allDay], now: Self.now).contains("\r\nDUE;VALUE=DATE:20261201\r\n"))
    }

    @Test func editedDueInAnotherAppWinsOverStaleCopy() throws {
        let original = try Self.task("t_edit") { $0.due = try TaskDue(iso: "2026-12-01T17:00:00+01:00"); $0.timeZone = "Europe/Berlin" }
        let edited = ICalendar.export([original], now: Self.now).replacingOccurrences(of: "DUE:20261201T160000Z", with: "DUE:20261202T100000Z")
        let todo = try #require(ICalendar.importTodos(edited).todos.first)
        #expect(todo.draft.due?.iso == "2026-12-02T10:00:00Z")
        #expect(todo.draft.timeZone == nil)
    }

    @Test func manyTasksKeepOrder() throws {
        let tasks = (0..<50).map { i in Self.task("t_\(i)", "Task \(i)") { $0.priority = i % 5 == 0 ? nil : i % 5 } }
        let result = ICalendar.importTodos(ICalendar.export(tasks, now: Self.now))
        #expect(result.problems.isEmpty)
        #expect(result.todos.map(\.draft.title) == tasks.map(\.title))
        #expect(result.todos.map(\.draft.priority) == tasks.map(\.priority))
        #expect(ICalendar.export([], now: Self.now) == "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//todod//todod//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n")
    }

    @Test func importedTodosBecomeTasksKeepingTodoIDs() throws {
        let original = try Self.task("t_keep") {
            $0.due = try TaskDue(iso: "2026-12-01"); $0.recurrence = Recurrence(.daily); $0.labels = ["a"]; $0.completed = true
            $0.completedAt = Timestamp(millisecondsSinceEpoch: 1_794_000_000_321)
        }
        let foreign = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:abc@example.com\r\nSUMMARY:Foreign\r\nSTATUS:COMPLETED\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
        let todos = ICalendar.importTodos(ICalendar.export([original, original], now: Self.now)).todos + ICalendar.importTodos(foreign).todos
        var rng = SplitMix(seed: 7)
        let tasks = ICalendar.tasks(from: todos, now: Self.now, using: &rng)
        #expect(tasks.count == 3)
        var expected = original
        expected.createdAt = Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)
        expected.updatedAt = Timestamp(millisecondsSinceEpoch: 1_791_000_000_000)
        #expect(tasks[0] == expected)
        #expect(tasks[1].id != original.id && tasks[1].title == original.title)
        #expect(tasks[2].id.rawValue.hasPrefix("t_") && tasks[2].completed && tasks[2].completedAt == Self.now)
        #expect(tasks[2].createdAt == Self.now && tasks[2].updatedAt == Self.now)
        for task in tasks { #expect(try task.validated() == task) }
    }
}
