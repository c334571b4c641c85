public import TodoCore

// MARK: - Filter fixture

/// One fixed set of tasks and the list queries every surface (control socket, REST, MCP) must answer the same
/// way. Dates are relative to a fixed `now` (Wednesday 2026-06-10 12:00 in Europe/Berlin, UTC+2): run the daemon
/// or store with `ManualWallClock(start: FilterFixture.now)` and read the queries in `FilterFixture.zone`.
///
/// Usage: `let created = try await FilterFixture.load(into: store, for: user)`, then for each case translate
/// `query` (CONTRACT wire names: status, view, due, due_before, due_after, priority, label, project, q, sort,
/// limit) into the surface's own request and compare the titles, in order, with `expectedTitles`.
public enum FilterFixture {
    /// The fixed "now": 2026-06-10T10:00:00Z (12:00 in Berlin).
    public static let now = Timestamp(millisecondsSinceEpoch: 1_781_085_600_000)
    /// The zone the queries are read in.
    public static let zone = "Europe/Berlin"
    /// The date context of `now` in `zone`.
    public static var context: DateContext { DateContext(now: now, zone: try! DateContext.zone(named: zone)) }

    /// The tasks, in creation order (titles are unique).
    public static let drafts: [TaskDraft] = [
        TaskDraft(title: "Pay rent", due: day(1), priority: 1, labels: ["bills"], project: "home"),                  // 0 overdue
        TaskDraft(title: "Call mom", due: day(10), priority: 2, labels: ["family"]),                                  // 1 today, all-day
        TaskDraft(title: "Standup", due: at(10, hour: 9), timeZone: zone, labels: ["work"], project: "work"),         // 2 today 09:00 (passed)
        TaskDraft(title: "Dentist", due: at(10, hour: 17), timeZone: zone, priority: 3, labels: ["health"], project: "errands"),  // 3 today 17:00
        TaskDraft(title: "Buy milk", due: day(11), labels: ["shopping"], project: "errands"),                         // 4 tomorrow
        TaskDraft(title: "Write report", due: day(14), priority: 1, labels: ["work"], project: "work"),              // 5 in 4 days
        TaskDraft(title: "Plan trip", due: day(20), priority: 4, project: "home"),                                    // 6 in 10 days
        TaskDraft(title: "Renew passport", due: .date(LocalDate(year: 2026, month: 7, day: 15)!), labels: ["admin"]), // 7 next month
        TaskDraft(title: "Read book", priority: 3, labels: ["leisure"]),                                              // 8 no due
        TaskDraft(title: "Water plants", due: day(12), timeZone: zone, labels: ["home"], project: "home",
                  recurrence: try! Recurrence(rrule: "FREQ=WEEKLY")),                                                 // 9 recurring
        TaskDraft(title: "Old invoice", due: day(5), priority: 2, labels: ["bills"]),                                 // 10 completed
        TaskDraft(title: "Fix bike", description: "needs a new chain", priority: 2, project: "errands"),             // 11 no due
    ]

    /// Indexes into `drafts` of the tasks to mark completed after adding them all.
    public static let completedIndexes: [Int] = [10]

    /// One query and its answer.
    public struct Case: Sendable, Hashable, CustomStringConvertible {
        /// A short name for test output.
        public var name: String
        /// The query in CONTRACT wire names (`q` for the text search; MCP calls it `query`).
        public var query: [String: String]
        /// The titles of the matching tasks, in the order the surface must return them.
        public var expectedTitles: [String]

        public var description: String { name }
    }

    /// The queries and their answers.
    public static let cases: [Case] = [
        Case(name: "view today", query: ["view": "today"], expectedTitles: ["Pay rent", "Call mom", "Standup", "Dentist"]),
        Case(name: "view upcoming", query: ["view": "upcoming"],
             expectedTitles: ["Buy milk", "Water plants", "Write report", "Plan trip", "Renew passport"]),
        Case(name: "view all", query: ["view": "all"], expectedTitles: drafts.map(\.title)),
        Case(name: "no params", query: [:], expectedTitles: drafts.map(\.title)),
        Case(name: "due overdue", query: ["due": "overdue"], expectedTitles: ["Pay rent", "Standup"]),
        Case(name: "due today", query: ["due": "today"], expectedTitles: ["Call mom", "Standup", "Dentist"]),
        Case(name: "due today_or_overdue", query: ["due": "today_or_overdue", "status": "pending"],
             expectedTitles: ["Pay rent", "Call mom", "Standup", "Dentist"]),
        Case(name: "due tomorrow", query: ["due": "tomorrow"], expectedTitles: ["Buy milk"]),
        Case(name: "due next_7_days", query: ["due": "next_7_days"],
             expectedTitles: ["Call mom", "Standup", "Dentist", "Buy milk", "Write report", "Water plants"]),
        Case(name: "due upcoming, sort due", query: ["due": "upcoming", "sort": "due"],
             expectedTitles: ["Buy milk", "Water plants", "Write report", "Plan trip", "Renew passport"]),
        Case(name: "due none", query: ["due": "none"], expectedTitles: ["Read book", "Fix bike"]),
        Case(name: "due any", query: ["due": "any"], expectedTitles: drafts.map(\.title).filter { !["Read book", "Fix bike"].contains($0) }),
        Case(name: "status completed", query: ["status": "completed"], expectedTitles: ["Old invoice"]),
        Case(name: "status pending", query: ["status": "pending"], expectedTitles: drafts.map(\.title).filter { $0 != "Old invoice" }),
        Case(name: "priority 1", query: ["priority": "1"], expectedTitles: ["Pay rent", "Write report"]),
        Case(name: "priority 2 pending", query: ["priority": "2", "status": "pending"], expectedTitles: ["Call mom", "Fix bike"]),
        Case(name: "label bills", query: ["label": "bills"], expectedTitles: ["Pay rent", "Old invoice"]),
        Case(name: "project errands", query: ["project": "errands"], expectedTitles: ["Dentist", "Buy milk", "Fix bike"]),
        Case(name: "project case-insensitive", query: ["project": "Errands"], expectedTitles: ["Dentist", "Buy milk", "Fix bike"]),
        Case(name: "text in title", query: ["q": "RENT"], expectedTitles: ["Pay rent"]),
        Case(name: "text in description", query: ["q": "chain"], expectedTitles: ["Fix bike"]),
        Case(name: "due_before ISO", query: ["due_before": "2026-06-10"], expectedTitles: ["Pay rent", "Old invoice"]),
        Case(name: "due_after ISO", query: ["due_after": "2026-06-14"], expectedTitles: ["Plan trip", "Renew passport"]),
        Case(name: "due_before words", query: ["due_before": "tomorrow"],
             expectedTitles: ["Pay rent", "Call mom", "Standup", "Dentist", "Old invoice"]),
        Case(name: "sort priority, limit", query: ["status": "pending", "sort": "priority", "limit": "3"],
             expectedTitles: ["Pay rent", "Write report", "Call mom"]),
        Case(name: "view today overridden sort", query: ["view": "today", "sort": "priority"],
             expectedTitles: ["Pay rent", "Call mom", "Dentist", "Standup"]),
        Case(name: "view upcoming with label", query: ["view": "upcoming", "label": "work"], expectedTitles: ["Write report"]),
        Case(name: "sort due, limit", query: ["due": "any", "status": "pending", "sort": "due", "limit": "2"],
             expectedTitles: ["Pay rent", "Call mom"]),
    ]

    /// Adds every draft (in order) and completes the ones in `completedIndexes`.
    /// - Parameters:
    ///   - repository: the store (or any repository).
    ///   - user: the owner.
    /// - Returns: the tasks as they are after loading, in `drafts` order.
    public static func load(into repository: some TaskRepository, for user: UserID) async throws -> [TaskItem] {
        var created: [TaskItem] = []
        for draft in drafts { created.append(try await repository.addTask(draft, for: user, requestID: nil)) }
        for i in completedIndexes { created[i] = try await repository.setCompleted(created[i].id, true, for: user) }
        return created
    }

    /// The titles of `tasks`, for comparing with a case's `expectedTitles`.
    /// - Parameter tasks: the tasks a surface returned.
    public static func titles(_ tasks: [TaskItem]) -> [String] { tasks.map(\.title) }

    private static func day(_ d: Int) -> TaskDue { .date(LocalDate(year: 2026, month: 6, day: d)!) }

    private static func at(_ d: Int, hour: Int) -> TaskDue {
        .dateTime(LocalDate(year: 2026, month: 6, day: d)!, secondOfDay: hour * 3600, offsetSeconds: 7200)
    }
}
