
// MARK: - ICalendar

/// RFC 5545 VTODO export and import of tasks. Pure: no I/O, bad input never traps.
///
/// Mapping (also in README.md, "iCalendar"):
///
/// | todod | iCalendar |
/// |---|---|
/// | id | `UID:<id>@todod` |
/// | title | `SUMMARY` (required on import) |
/// | description | `DESCRIPTION` |
/// | due, all-day | `DUE;VALUE=DATE:20261201` |
/// | due, timed | `DUE:20261201T160000Z` (UTC, read right by every app) plus `X-TODOD-DUE:2026-12-01T17:00:00+01:00` (the offset it was given in) |
/// | time_zone | `X-TODOD-TZID:Europe/Berlin` |
/// | priority 1/2/3/4 | `PRIORITY` 1/3/5/7; import 1-2→1, 3-4→2, 5-6→3, 7-9→4, 0 or absent→none |
/// | labels | `CATEGORIES` (import: lowercased, spaces become `-`) |
/// | project | `X-TODOD-PROJECT` (import falls back to the calendar's `X-WR-CALNAME`, the Apple Reminders list name) |
/// | recurrence | `RRULE` (plus `DTSTART` equal to `DUE`, as RFC 5545 wants for a recurring VTODO) |
/// | completed | `STATUS:COMPLETED` / `STATUS:NEEDS-ACTION` |
/// | completed_at | `COMPLETED` (UTC seconds, done tasks) plus `X-TODOD-COMPLETED-AT` (milliseconds; also for recurring tasks) |
///
/// `X-TODOD-DUE` and `X-TODOD-COMPLETED-AT` are only used on import when they agree with `DUE`/`COMPLETED`,
/// so an edit made in another app wins over the stale todod copy.
public enum ICalendar {
    /// The `PRODID` todod writes.
    public static let productID = "-//todod//todod//EN"
    /// The suffix of the `UID` of a todod task (`t_abc@todod`).
    public static let uidSuffix = "@todod"

    /// The iCalendar `PRIORITY` for a todod priority (1→1, 2→3, 3→5, 4→7; none→nil).
    /// - Parameter priority: todod's 1...4 or nil.
    public static func icalPriority(_ priority: Int?) -> Int? {
        guard let priority, (1...4).contains(priority) else { return nil }
        return priority * 2 - 1
    }

    /// The todod priority for an iCalendar `PRIORITY` (1-2→1, 3-4→2, 5-6→3, 7-9→4, 0→none).
    /// - Parameter value: 0...9.
    /// - Returns: nil for 0 or a value outside 0...9.
    public static func todoPriority(_ value: Int) -> Int? {
        guard (1...9).contains(value) else { return nil }
        return min((value + 1) / 2, 4)
    }

    /// The `UID` for a task.
    /// - Parameter id: the task's id.
    public static func uid(for id: TaskID) -> String { id.rawValue + uidSuffix }

    /// The todod task id a `UID` names, when it is `<id>@todod` with a valid id.
    /// - Parameter uid: the UID.
    public static func taskID(fromUID uid: String) -> TaskID? {
        guard uid.hasSuffix(uidSuffix) else { return nil }
        return try? TaskID(String(uid.dropLast(uidSuffix.count)))
    }
}

// MARK: - Import results

/// What `ICalendar.importTodos` read: the todos it could use and every problem, by line.
public struct ICalendarImport: Sendable, Hashable {
    /// The usable todos, in file order.
    public var todos: [ImportedTodo]
    /// What was wrong, in file order.
    public var problems: [ICalendarProblem]

    /// - Parameters:
    ///   - todos: the usable todos.
    ///   - problems: the problems.
    public init(todos: [ImportedTodo], problems: [ICalendarProblem]) {
        self.todos = todos
        self.problems = problems
    }
}

/// One VTODO read from a file, already validated with `TaskRules`.
public struct ImportedTodo: Sendable, Hashable {
    /// The line its `BEGIN:VTODO` is on (1-based).
    public var line: Int
    /// Its `UID`, if it had one.
    public var uid: String?
    /// The task fields (validated: `draft.validated()` holds).
    public var draft: TaskDraft
    /// Whether it is done (`STATUS:COMPLETED`, or a `COMPLETED` time without a `STATUS`).
    public var completed: Bool
    /// When it was (last) completed.
    public var completedAt: Timestamp?
    /// Its `CREATED` time.
    public var createdAt: Timestamp?
    /// Its `LAST-MODIFIED` time.
    public var updatedAt: Timestamp?

    /// - Parameters: the fields, as named.
    public init(line: Int, uid: String?, draft: TaskDraft, completed: Bool, completedAt: Timestamp? = nil,
                createdAt: Timestamp? = nil, updatedAt: Timestamp? = nil) {
        self.line = line
        self.uid = uid
        self.draft = draft
        self.completed = completed
        self.completedAt = completedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The todod task this todo was exported from (`UID:<id>@todod`), if any.
    public var taskID: TaskID? { uid.flatMap(ICalendar.taskID(fromUID:)) }
}

/// Something wrong in an iCalendar file, with the (first physical) line it is on.
public struct ICalendarProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number (0 for the file as a whole).
    public var line: Int
    /// What is wrong and what was done about it.
    public var message: String

    /// - Parameters:
    ///   - line: 1-based line number.
    ///   - message: what is wrong.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}
