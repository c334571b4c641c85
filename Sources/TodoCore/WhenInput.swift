// MARK: - WhenInput

/// How every surface (REST bodies and query parameters, control params, MCP tool arguments) reads a date
/// input: one rule, so "tomorrow" or an RRULE means the same thing wherever it is typed.
public enum WhenInput {
    /// A due input: ISO first (`TaskDue(iso:)`), else words (`DatePhrase.parseDue`) read in `context`.
    /// - Parameters:
    ///   - text: the input (surrounding spaces are ignored).
    ///   - context: now and the zone for words.
    /// - Throws: `TodoError.validation(field: "due")` saying what was not understood.
    public static func due(_ text: String, in context: DateContext) throws -> TaskDue {
        let trimmed = text.trimmingASCIIWhitespace()
        if let iso = try? TaskDue(iso: trimmed) { return iso }
        return try DatePhrase.parseDue(trimmed, in: context)
    }

    /// A recurrence input: RRULE text (anything with `=`, such as `FREQ=WEEKLY;BYDAY=MO`) via `Recurrence(rrule:)`,
    /// else words (`DatePhrase.parseRecurrence`, which also gives the first due on or after today).
    /// - Parameters:
    ///   - text: the input.
    ///   - context: now and the zone for words.
    /// - Returns: the rule, and the first due when words gave one.
    /// - Throws: `TodoError.validation(field: "recurrence")`.
    public static func recurrence(_ text: String, in context: DateContext) throws -> (Recurrence, TaskDue?) {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.contains("=") { return (try Recurrence(rrule: trimmed), nil) }
        let (rule, first) = try DatePhrase.parseRecurrence(trimmed, in: context)
        return (rule, first)
    }

    /// A date bound (`due_before`, `due_after`): an ISO date, else words; a moment ("tomorrow 5pm") counts by its
    /// local date in `context`'s zone.
    /// - Parameters:
    ///   - text: the input.
    ///   - field: the wire name errors carry.
    ///   - context: now and the zone for words.
    /// - Throws: `TodoError.validation(field: field)`.
    public static func date(_ text: String, field: String, in context: DateContext) throws -> LocalDate {
        let trimmed = text.trimmingASCIIWhitespace()
        if let date = LocalDate(iso: trimmed) { return date }
        do {
            let due = try DatePhrase.parseDue(trimmed, in: context)
            return due.instant.map { context.localDate(of: $0) } ?? due.date
        } catch let error as TodoError {
            throw TodoError.validation(field: field, error.message)
        }
    }
}
