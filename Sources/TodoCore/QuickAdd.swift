import Foundation

// MARK: - QuickAdd

/// One line of quick-add text turned into a task: `Pay rent every month on the 1st p1 @bills #home`.
///
/// - `p1`...`p4` is the priority (p1 highest; `p0`, `p5`...`p9` are errors), `@name` a label (any number),
///   `#name` the project (one; two are an error naming both). These tokens may stand anywhere.
/// - The date is the longest run of consecutive words that `DatePhrase.parse` reads as a due date or
///   recurrence; at most one such run (a second one is an error naming both). Words that are only dates in
///   some uses are kept as title: a bare number, a month without a day ("March with friends"), a weekday
///   abbreviation not preceded by "on", "next", "this", "every", "other" or a list comma/"and" ("Buy a sun
///   hat"; full names like "friday" always count), "the 5th" not preceded by "on", "noon"/"midnight" alone,
///   and "daily"/"weekly"/"monthly"/"yearly" unless they end the title ("Read weekly report").
/// - Recognized words with a wrong value ("on feb 30", "at 25:00") are an error, not title.
/// - Text inside double quotes is always title (quotes removed); an unmatched quote runs to the end.
/// - What remains, joined by single spaces, is the title; empty is an error on field `title`.
public enum QuickAdd {
    /// Longest quick-add line, in bytes.
    static let maxLength = 1000
    /// Longest date run tried, in words.
    static let maxRun = 9

    /// Parses one quick-add line.
    /// - Parameters:
    ///   - text: the line.
    ///   - context: now and the zone for dates.
    /// - Throws: `TodoError.validation` naming the field (`title`, `due`, `recurrence`, `priority`, `labels`,
    ///   `project`).
    public static func parse(_ text: String, in context: DateContext) throws -> QuickAddResult {
        guard text.utf8.count <= maxLength else { throw TodoError.validation(field: "title", "quick add text must be at most \(maxLength) bytes") }
        var words = QuickAddWord.split(text)
        var priority: (Int, String)?, project: String?, labels: [String] = []
        for w in words {
            switch w.kind {
            case .priority(let p):
                if let priority { throw TodoError.validation(field: "priority", "two priorities: \"\(priority.1)\" and \"\(w.text)\"") }
                priority = (p, w.text)
            case .label: labels.append(String(w.text.dropFirst()))
            case .project:
                if let project { throw TodoError.validation(field: "project", "two projects: \"#\(project)\" and \"\(w.text)\"") }
                project = String(w.text.dropFirst())
            case .title, .quoted: break
            }
        }
        words.removeAll { if case .title = $0.kind { return false }; if case .quoted = $0.kind { return false }; return true }
        let found = try QuickAddScan(words: words, context: context).find()
        var title: [String] = []
        for (i, w) in words.enumerated() where found.map({ !$0.range.contains(i) }) ?? true { title.append(w.text) }
        var result = QuickAddResult(title: try TaskRules.title(title.joined(separator: " ")))
        if let found {
            result.due = found.when.due
            result.recurrence = found.when.recurrence
            result.dateText = words[found.range].map(\.text).joined(separator: " ")
            if found.when.due.instant != nil { result.timeZone = context.zone.identifier }
        }
        result.priority = try TaskRules.priority(priority?.0)
        result.labels = try TaskRules.labels(labels)
        result.project = try TaskRules.project(project)
        return result
    }
}

/// What quick add read from a line.
public struct QuickAddResult: Hashable, Sendable {
    /// The title: the words left after taking out the date, priority, labels and project.
    public var title: String
    /// The due date (for a recurrence, its first occurrence).
    public var due: TaskDue?
    /// The context zone's identifier when `due` is timed.
    public var timeZone: String?
    /// How it repeats.
    public var recurrence: Recurrence?
    /// 1 (highest) to 4.
    public var priority: Int?
    /// Labels, lowercased and sorted.
    public var labels: [String]
    /// The project.
    public var project: String?
    /// The words read as the date or recurrence, as typed (for a preview).
    public var dateText: String?

    /// - Parameters: each field.
    public init(title: String, due: TaskDue? = nil, timeZone: String? = nil, recurrence: Recurrence? = nil, priority: Int? = nil,
                labels: [String] = [], project: String? = nil, dateText: String? = nil) {
        self.title = title
        self.due = due
        self.timeZone = timeZone
        self.recurrence = recurrence
        self.priority = priority
        self.labels = labels
        self.project = project
        self.dateText = dateText
    }

    /// The task to create.
    public var draft: TaskDraft {
        TaskDraft(title: title, due: due, timeZone: timeZone, priority: priority, labels: labels, project: project, recurrence: recurrence)
    }
}

/// One word of a quick-add line.
struct QuickAddWord {
    enum Kind { case title, quoted, priority(Int), label, project }
    /// The word as typed (a quoted part without its quotes).
    var text: String
    var kind: Kind
    /// Lowercased date tokens (empty for quoted words).
    var tokens: [String]

    /// Splits on whitespace; a double-quoted part is one word.
    static func split(_ text: String) -> [QuickAddWord] {
        var out: [QuickAddWord] = []
        var current = "", quoted = false
        func flush() {
            defer { current = "" }
            if quoted { if !current.isEmpty { out.append(QuickAddWord(text: current, kind: .quoted, tokens: [])) }; return }
            guard !current.isEmpty else { return }
            out.append(QuickAddWord(text: current, kind: kind(of: current), tokens: PhraseWords.tokens(current)))
        }
        for ch in text {
            if ch == "\"" {
                flush()
                quoted.toggle()
            } else if ch.isWhitespace && !quoted {
                flush()
            } else {
                current.append(ch)
            }
        }
        flush()
        return out
    }

    static func kind(of word: String) -> Kind {
        let b = Array(word.utf8)
        if b.count == 2, b[0] | 0x20 == UInt8(ascii: "p"), b[1] >= 0x30, b[1] <= 0x39 { return .priority(Int(b[1] - 0x30)) }
        if b.count > 1, b[0] == UInt8(ascii: "@") { return .label }
        if b.count > 1, b[0] == UInt8(ascii: "#") { return .project }
        return .title
    }
}
