// MARK: - DatePhrase

/// Due dates and recurrences in plain English words, read relative to a `DateContext` (now + zone).
/// Pure: no I/O, no calendar objects per call; case-insensitive, extra spaces ignored.
///
/// Anything ambiguous or unknown is an error quoting what was not understood, never a guess: bare numbers
/// ("5") are not dates, a month without a day ("may") is not a date, "next" or "every" alone is not a phrase.
/// The full table of phrases is in README.md ("Dates in plain words and quick add").
public enum DatePhrase {
    /// Longest phrase accepted, in bytes.
    static let maxLength = 200

    /// A due date or date-time in words or ISO form.
    ///
    /// Dates: `today`, `tomorrow`, `tonight` (today 20:00; "tonight at 9" is 21:00), a weekday (`friday`,
    /// `fri`, `on friday`, `this friday`: the coming one, today if today is that day), `next friday` (the first
    /// one strictly after today, so a week later when said on a Friday), `next week` (the Monday strictly after
    /// today), `next month` / `next year` (their first day), `in 3 days` / `in 2 weeks` / `in 1 month` (same day
    /// of the month, clamped to its end) / `in 1 year` / `in a week`, `jan 5` / `january 5th` / `5 jan` /
    /// `5th of january` (the next such day not before today), the same with a year (`jan 5, 2027`,
    /// `5 jan 2027`, taken as given even if past), `the 5th` (the next 5th not before today), `end of month`,
    /// `end of week` (the coming Sunday), `end of year`, `2026-01-05`, or an RFC 3339 date-time (taken as is,
    /// alone).
    ///
    /// Times: `5pm`, `5 pm`, `5:30pm`, `17:00`, `noon`, `midnight` (00:00 at the start of that day), `at 9`
    /// (09:00; after "at" a bare hour 0-23 is a 24-hour time), `at 9pm`. A date and a time combine in
    /// either order (`tomorrow 5pm`, `friday at noon`, `at 5pm tomorrow`, `jan 5 at 17:00`); a time alone means
    /// today at that time (even if it has passed). A timed result carries the zone's offset at that moment; a
    /// time skipped by a daylight-saving change moves forward by the gap.
    /// - Parameters:
    ///   - text: the phrase.
    ///   - context: now and the zone.
    /// - Returns: an all-day due, or a timed one when a time was given.
    /// - Throws: `TodoError.validation(field: "due")` quoting what was not understood.
    public static func parseDue(_ text: String, in context: DateContext) throws -> TaskDue {
        do { return try due(reader(text, context), in: context) } catch { throw TodoError.validation(field: "due", error.message) }
    }

    /// A recurrence: `daily` / `every day` / `every 3 days` / `every other day`, `weekly` / `every week` /
    /// `every 2 weeks`, `every weekday` (Mon-Fri), `every weekend`, `every monday`, `every mon, wed and fri`,
    /// `every 2 weeks on mon, fri`, `monthly` / `every month` (on today's day of the month), `every month on
    /// the 1st` / `on the last day`, `yearly` / `annually` / `every year`, `every jan 5` / `every 5 january` /
    /// `every year on jan 5`, each optionally with a time (`every day at 9`, `every weekday at 8:30am`).
    /// - Parameters:
    ///   - text: the phrase.
    ///   - context: now and the zone.
    /// - Returns: the rule, anchored to its first due, and that first due: the first occurrence on or after
    ///   today (timed when a time was given; when that time has already passed today, the rule's next
    ///   occurrence after today).
    /// - Throws: `TodoError.validation(field: "recurrence")` quoting what was not understood.
    public static func parseRecurrence(_ text: String, in context: DateContext) throws -> (Recurrence, TaskDue) {
        do { return try recurrence(reader(text, context), in: context) } catch {
            throw TodoError.validation(field: "recurrence", error.message)
        }
    }

    /// Either kind: a phrase starting with `every`, `daily`, `weekly`, `monthly`, `yearly` or `annually` is a
    /// recurrence, anything else a due date.
    /// - Parameters:
    ///   - text: the phrase.
    ///   - context: now and the zone.
    /// - Throws: `TodoError.validation` with field `due` or `recurrence`.
    public static func parse(_ text: String, in context: DateContext) throws -> ParsedWhen {
        let r = try readerOrThrow(text, context, field: "due")
        if isRecurrence(r.t) {
            do {
                let (rule, due) = try recurrence(r, in: context)
                return ParsedWhen(due: due, recurrence: rule)
            } catch { throw TodoError.validation(field: "recurrence", error.message) }
        }
        do { return ParsedWhen(due: try due(r, in: context), recurrence: nil) } catch {
            throw TodoError.validation(field: "due", error.message)
        }
    }

    // MARK: Internals

    static func isRecurrence(_ t: [String]) -> Bool {
        guard let first = t.first else { return false }
        return first == "every" || PhraseWords.adverbs[first] != nil
    }

    static func readerOrThrow(_ text: String, _ context: DateContext, field: String) throws -> PhraseReader {
        do { return try reader(text, context) } catch { throw TodoError.validation(field: field, error.message) }
    }

    static func reader(_ text: String, _ context: DateContext) throws(PhraseError) -> PhraseReader {
        guard text.utf8.count <= maxLength else { throw PhraseError(message: "the phrase is longer than \(maxLength) characters") }
        let tokens = PhraseWords.tokens(text)
        guard !tokens.isEmpty else { throw PhraseError(message: "the phrase is empty (try \"tomorrow\", \"jan 5\" or \"every monday\")") }
        return PhraseReader(tokens: tokens, today: context.today)
    }

    /// Reads a whole due phrase: at most one date part and one time part, in any order.
    static func due(_ r: PhraseReader, in context: DateContext) throws(PhraseError) -> TaskDue {
        var day: LocalDate?, tonight = false, fixed: TaskDue?, time: (Int, Bool)?
        var i = 0
        while i < r.t.count {
            if let (part, n) = try r.date(at: i) {
                guard day == nil, !tonight, fixed == nil else { throw PhraseError(message: "\"\(r.text)\" gives two dates") }
                switch part {
                case .day(let d): day = d
                case .tonight: tonight = true
                case .fixed(let due): fixed = due
                }
                i += n
            } else if let (s, n, bare) = try r.time(at: i) {
                guard time == nil else { throw PhraseError(message: "\"\(r.text)\" gives two times") }
                time = (s, bare)
                i += n
            } else {
                throw notUnderstood(r, at: i)
            }
        }
        if let fixed {
            guard r.t.count == 1 else { throw PhraseError(message: "\"\(r.text)\": an RFC 3339 date-time takes no other words") }
            return fixed
        }
        let date = day ?? r.today
        var second = time?.0
        if tonight {
            if let (s, bare) = time, bare, (3600..<43_200).contains(s) { second = s + 43_200 }
            second = second ?? 20 * 3600
        }
        guard let second else { return .date(date) }
        return context.due(on: date, at: second)
    }

    /// The error for a token no part reads, with a hint for the common ambiguous cases.
    static func notUnderstood(_ r: PhraseReader, at i: Int) -> PhraseError {
        let w = r.t[i]
        if let n = PhraseWords.dayNumber(w) {
            return PhraseError(lazy: "\"\(w)\" alone is ambiguous (write \"jan \(n)\", \"the \(ordinal(n))\" or \"at \(n)\")", at: i)
        }
        if PhraseWords.months[w] != nil {
            return PhraseError(lazy: "\"\(w)\" needs a day (\"\(w) 5\")", at: i)
        }
        return r.unknown(i)
    }
}

/// A parsed "when": a due date, and how it repeats when the phrase was a recurrence.
public struct ParsedWhen: Hashable, Sendable {
    /// The due (for a recurrence, its first occurrence).
    public var due: TaskDue
    /// The rule, anchored to `due`; nil for a one-off date.
    public var recurrence: Recurrence?

    /// - Parameters:
    ///   - due: the due.
    ///   - recurrence: the rule, if any.
    public init(due: TaskDue, recurrence: Recurrence?) {
        self.due = due
        self.recurrence = recurrence
    }
}
