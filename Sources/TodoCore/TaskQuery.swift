// MARK: - TaskQuery

/// One filter model for every surface (control socket, REST, MCP, UI): which tasks, in which order.
/// Every condition that is set must hold. Dates are read in the `DateContext` the query runs in.
public struct TaskQuery: Hashable, Sendable {
    /// By completion.
    public var status: TaskFilter
    /// A named due window.
    public var due: DueWindow?
    /// Due strictly before this date (all-day dues) or before its local midnight (timed dues).
    public var dueBefore: LocalDate?
    /// Due strictly after this date.
    public var dueAfter: LocalDate?
    /// Exactly this priority (1...4).
    public var priority: Int?
    /// Carries this label (case-insensitive).
    public var label: String?
    /// In this project (case-insensitive).
    public var project: String?
    /// Title or description contains this text (case-insensitive).
    public var text: String?
    /// The order.
    public var sort: TaskSort
    /// At most this many results (after sorting).
    public var limit: Int?

    /// - Parameters: the conditions; all default to "any".
    public init(status: TaskFilter = .all, due: DueWindow? = nil, dueBefore: LocalDate? = nil, dueAfter: LocalDate? = nil,
                priority: Int? = nil, label: String? = nil, project: String? = nil, text: String? = nil,
                sort: TaskSort = .created, limit: Int? = nil) {
        self.status = status
        self.due = due
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
        self.priority = priority
        self.label = label
        self.project = project
        self.text = text
        self.sort = sort
        self.limit = limit
    }

    /// A named view: Today (open tasks overdue or due today), Upcoming (open tasks due after today), All.
    /// - Parameter view: the view.
    public init(view: TaskView) {
        switch view {
        case .today: self.init(status: .pending, due: .todayOrOverdue, sort: .due)
        case .upcoming: self.init(status: .pending, due: .upcoming, sort: .due)
        case .all: self.init()
        }
    }

    /// Checks the free-form parts (priority range, label and project shape, text length, limit).
    /// - Throws: `TodoError.validation` naming the query parameter.
    public func validated() throws -> TaskQuery {
        var out = self
        if let priority, !(1...4).contains(priority) { throw TodoError.validation(field: "priority", "priority must be 1 (highest) to 4") }
        if let label { out.label = try TaskRules.labels([label]).first }
        if let project { out.project = try TaskRules.project(project)?.lowercased() }
        if let text {
            guard text.count <= 200 else { throw TodoError.validation(field: "q", "search text must be at most 200 characters") }
            out.text = text.isEmpty ? nil : text
        }
        if let limit, !(1...100_000).contains(limit) { throw TodoError.validation(field: "limit", "limit must be 1-100000") }
        if let dueBefore, let dueAfter, dueAfter >= dueBefore {
            throw TodoError.validation(field: "due_after", "due_after must be before due_before")
        }
        return out
    }
}

/// A named due window.
public enum DueWindow: String, Sendable, Hashable, CaseIterable, Codable {
    /// Due before now (timed) or before today (all-day), not done.
    case overdue
    /// Due today.
    case today
    /// Overdue or due today (the Today view).
    case todayOrOverdue = "today_or_overdue"
    /// Due tomorrow.
    case tomorrow
    /// Due today or in the next six days.
    case next7Days = "next_7_days"
    /// Due after today.
    case upcoming
    /// Has a due date.
    case any
    /// Has no due date.
    case none

    /// Parses a window name.
    /// - Parameter raw: the name.
    /// - Throws: `TodoError.validation(field: "due")` listing the names.
    public init(parsing raw: String) throws {
        guard let v = DueWindow(rawValue: raw) else {
            throw TodoError.validation(field: "due", "due must be one of " + DueWindow.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = v
    }
}

/// A named view of the list.
public enum TaskView: String, Sendable, Hashable, CaseIterable, Codable {
    case today, upcoming, all
}

/// The order of a listing. Ties keep creation order.
public enum TaskSort: String, Sendable, Hashable, CaseIterable, Codable {
    /// Soonest due first; tasks without a due date last.
    case due
    /// Priority 1 first; tasks without a priority last.
    case priority
    /// Oldest first (the order tasks were added).
    case created

    /// Parses a sort name.
    /// - Parameter raw: the name; nil means `created`.
    /// - Throws: `TodoError.validation(field: "sort")`.
    public init(parsing raw: String?) throws {
        guard let raw else { self = .created; return }
        guard let v = TaskSort(rawValue: raw) else {
            throw TodoError.validation(field: "sort", "sort must be one of due, priority, created")
        }
        self = v
    }
}
