// MARK: - Words and tokens of date phrases

/// The English words date phrases are built from, and the small readers for numbers, ordinals and
/// clock times. Everything works on lowercased tokens; nothing here allocates a calendar.
enum PhraseWords {
    /// Month names and abbreviations → 1...12.
    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    /// Full weekday names.
    static let fullWeekdays: [String: Weekday] = [
        "monday": .monday, "tuesday": .tuesday, "wednesday": .wednesday, "thursday": .thursday,
        "friday": .friday, "saturday": .saturday, "sunday": .sunday,
    ]

    /// Weekday abbreviations (ambiguous as title words: "sun", "wed", "sat").
    static let shortWeekdays: [String: Weekday] = [
        "mon": .monday, "tue": .tuesday, "tues": .tuesday, "wed": .wednesday, "weds": .wednesday, "thu": .thursday,
        "thur": .thursday, "thurs": .thursday, "fri": .friday, "sat": .saturday, "sun": .sunday,
    ]

    /// A weekday by full name or abbreviation.
    static func weekday(_ token: String) -> Weekday? { fullWeekdays[token] ?? shortWeekdays[token] }

    /// Period units (singular and plural).
    static let units: [String: Recurrence.Frequency] = [
        "day": .daily, "days": .daily, "week": .weekly, "weeks": .weekly,
        "month": .monthly, "months": .monthly, "year": .yearly, "years": .yearly,
    ]

    /// One-word recurrences.
    static let adverbs: [String: Recurrence.Frequency] = [
        "daily": .daily, "weekly": .weekly, "monthly": .monthly, "yearly": .yearly, "annually": .yearly,
    ]

    /// Words a date or time phrase can start with (quick add only tries runs that start with one of these,
    /// a number, a month or a weekday).
    static let starters: Set<String> = [
        "today", "tonight", "tomorrow", "tmrw", "on", "at", "next", "this", "in", "end", "the", "every", "noon", "midnight",
    ]

    /// A whole number written with 1-4 ASCII digits.
    static func number(_ token: String) -> Int? {
        let b = token.utf8
        guard !b.isEmpty, b.count <= 4, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(token)
    }

    /// A day number written as `5`, `05` or an ordinal (`5th`, `1st`, `22nd`); any 1-2 digit value.
    static func dayNumber(_ token: String) -> Int? {
        if let n = number(token), token.utf8.count <= 2 { return n }
        guard token.utf8.count >= 3, token.utf8.count <= 4 else { return nil }
        let suffix = String(token.suffix(2))
        guard ["st", "nd", "rd", "th"].contains(suffix) else { return nil }
        return number(String(token.dropLast(2)))
    }

    /// Whether a token is an ordinal (`5th`).
    static func isOrdinal(_ token: String) -> Bool { number(token) == nil && dayNumber(token) != nil }

    /// `am`/`pm` (also `a.m.`/`p.m.`) → hours to add after taking the hour modulo 12.
    static func meridiem(_ token: Substring) -> Int? {
        switch token {
        case "am", "a.m.": 0
        case "pm", "p.m.": 12
        default: nil
        }
    }

    /// What a single token says as a clock time.
    enum Clock: Equatable {
        /// Seconds after midnight.
        case time(Int)
        /// Looks like a time but is not one (`25:00`, `13pm`).
        case invalid
        /// Not a clock time (a bare number is not one on its own).
        case none
    }

    /// Reads `noon`, `midnight`, `5pm`, `5:30pm`, `5:30 a.m.`-style single tokens and 24-hour `17:00`.
    static func clock(_ token: String) -> Clock {
        if token == "noon" { return .time(43_200) }
        if token == "midnight" { return .time(0) }
        var body = Substring(token)
        var add: Int?
        for m in ["am", "pm", "a.m.", "p.m."] where body.hasSuffix(m) {
            add = meridiem(Substring(m))
            body = body.dropLast(m.count)
            break
        }
        guard !body.isEmpty, body.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ":") }),
            body.utf8.first != UInt8(ascii: ":")
        else { return .none }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1 && add == nil { return .none }
        guard parts.count <= 2, parts[0].count <= 2, let h = Int(parts[0]) else { return .invalid }
        var m = 0
        if parts.count == 2 {
            guard parts[1].count == 2, let mm = Int(parts[1]), mm < 60 else { return .invalid }
            m = mm
        }
        if let add {
            guard (1...12).contains(h) else { return .invalid }
            return .time(((h % 12) + add) * 3600 + m * 60)
        }
        guard h < 24 else { return .invalid }
        return .time(h * 3600 + m * 60)
    }

    /// Splits a phrase into lowercased tokens: runs of non-space characters, with each comma its own token.
    static func tokens(_ text: some StringProtocol) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isWhitespace || ch == "," {
                if !current.isEmpty { out.append(current); current = "" }
                if ch == "," { out.append(",") }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Tokens joined back for a message (`"jan 5, 2027"`).
    static func joined(_ tokens: ArraySlice<String>) -> String {
        var s = ""
        for t in tokens {
            if !s.isEmpty && t != "," { s += " " }
            s += t
        }
        return s
    }
}

/// A failure inside the phrase reader; the public API turns it into `TodoError.validation`. The message is
/// built only when asked for (quick add tries many runs of words that fail).
struct PhraseError: Error {
    private let build: @Sendable () -> String
    /// Whether the words were recognized as a date, time or count but their value is wrong ("feb 30",
    /// "25:00", "in 0 days"): quick add reports these instead of keeping the words as title.
    var isInvalidValue = false
    /// The token that was not understood, when one was: no longer run of words starting the same way
    /// can read it differently (quick add stops extending a run there).
    var position: Int?

    /// What was not understood, quoting it.
    var message: String { build() }

    init(message: String) { self.build = { message } }

    /// A message built when read, for the failures quick add meets most (a word that is not a date).
    init(lazy message: @autoclosure @escaping @Sendable () -> String, at position: Int?) {
        self.build = message
        self.position = position
    }

    init(invalid message: String) {
        self.build = { message }
        self.isInvalidValue = true
    }
}
