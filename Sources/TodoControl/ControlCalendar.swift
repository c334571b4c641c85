public import TodoCore

// MARK: - iCalendar methods

extension ControlMethods {
    /// `tasks.export_ics`: the caller's tasks as an iCalendar (RFC 5545) VCALENDAR of VTODOs.
    public enum ExportICS: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = ICSExportResult
        public static let name = "tasks.export_ics"
    }
    /// `tasks.import_ics`: add (or, for `<id>@todod` UIDs, update) the caller's tasks from iCalendar text.
    public enum ImportICS: ControlMethod {
        public typealias Params = ImportICSParams
        public typealias Result = ICSImportResult
        public static let name = "tasks.import_ics"
    }
}

/// `tasks.import_ics` parameters.
public struct ImportICSParams: Sendable, Hashable, Codable {
    /// The iCalendar text.
    public var text: String
    /// The IANA zone floating times (no `Z`, no `TZID`) are read in; UTC when absent.
    public var floatingZone: String?

    /// - Parameters:
    ///   - text: the iCalendar text.
    ///   - floatingZone: the zone for floating times.
    public init(text: String, floatingZone: String? = nil) {
        self.text = text
        self.floatingZone = floatingZone
    }

    enum CodingKeys: String, CodingKey {
        case text
        case floatingZone = "floating_zone"
    }
}

/// `tasks.export_ics` result.
public struct ICSExportResult: Sendable, Hashable, Codable {
    /// The VCALENDAR text (CRLF line endings).
    public var text: String
    /// How many VTODOs it holds.
    public var count: Int

    /// - Parameters:
    ///   - text: the calendar text.
    ///   - count: the number of todos.
    public init(text: String, count: Int) {
        self.text = text
        self.count = count
    }
}

/// One problem in an imported file.
public struct ICSProblem: Sendable, Hashable, Codable {
    /// 1-based line (0: the file as a whole).
    public var line: Int
    /// What is wrong and what was done about it.
    public var message: String

    /// - Parameters:
    ///   - line: the line.
    ///   - message: the message.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// `tasks.import_ics` result.
public struct ICSImportResult: Sendable, Hashable, Codable {
    /// New tasks.
    public var added: Int
    /// Existing tasks (`<id>@todod` UIDs) replaced by a newer copy.
    public var updated: Int
    /// Existing tasks left as they were (the file's copy was not newer).
    public var unchanged: Int
    /// Every problem, by line.
    public var problems: [ICSProblem]

    /// - Parameters: see the properties.
    public init(added: Int, updated: Int, unchanged: Int, problems: [ICSProblem]) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.problems = problems
    }

    /// Todos read from the file and used (added, updated or already current).
    public var imported: Int { added + updated + unchanged }

    /// `imported 3 todo(s): 2 new, 1 updated, 0 unchanged; 1 problem(s)`.
    public var message: String {
        "imported \(imported) todo(s): \(added) new, \(updated) updated, \(unchanged) unchanged; \(problems.count) problem(s)"
    }
}
