// MARK: - Reading the parts of a date phrase

/// Reads date and time parts from lowercased tokens. Each reader returns nil when the tokens at `i` are
/// not its kind, and throws when they are its kind but wrong ("feb 30", "25:00").
struct PhraseReader {
    /// The lowercased tokens.
    let t: [String]
    /// The whole phrase as the messages quote it.
    var text: String { PhraseWords.joined(t[...]) }
    /// Today in the context's zone.
    let today: LocalDate

    init(tokens: [String], today: LocalDate) {
        self.t = tokens
        self.today = today
    }

    /// A failure quoting `what` inside the whole phrase.
    func unknown(_ i: Int) -> PhraseError {
        guard i < t.count else { return PhraseError(message: "\"\(text)\" is incomplete") }
        if t.count == 1 { return PhraseError(lazy: "could not understand \"\(t[i])\"", at: i) }
        return PhraseError(lazy: "could not understand \"\(t[i])\" in \"\(text)\"", at: i)
    }

    /// The words `range` quoted.
    func words(_ range: Range<Int>) -> String { PhraseWords.joined(t[range.clamped(to: 0..<t.count)]) }

    /// What a date part says.
    enum DatePart {
        case day(LocalDate)
        /// A full RFC 3339 date-time: nothing else may be added.
        case fixed(TaskDue)
        /// Today with 20:00 unless a time is given.
        case tonight
    }

    // MARK: Dates

    /// A date part at `i` and how many tokens it takes.
    func date(at i: Int) throws(PhraseError) -> (DatePart, Int)? {
        guard i < t.count else { return nil }
        let w = t[i]
        switch w {
        case "today": return (.day(today), 1)
        case "tonight": return (.tonight, 1)
        case "tomorrow", "tmrw": return (.day(today.adding(days: 1)), 1)
        case "on":
            guard let (part, n) = try date(at: i + 1) else { throw unknownAfter(i, "\"on\" needs a date (\"on friday\", \"on jan 5\")") }
            return (part, n + 1)
        case "this":
            guard i + 1 < t.count, let d = PhraseWords.weekday(t[i + 1]) else { throw unknownAfter(i, "\"this\" needs a weekday (\"this friday\")") }
            return (.day(coming(d)), 2)
        case "next":
            guard i + 1 < t.count else { throw PhraseError(message: "\"next\" needs a weekday, \"week\", \"month\" or \"year\"") }
            switch t[i + 1] {
            case "week": return (.day(coming(.monday, strictly: true)), 2)
            case "month": return (.day(LocalDate.clamped(year: today.year, month: today.month + 1, day: 1)), 2)
            case "year": return (.day(LocalDate.clamped(year: today.year + 1, month: 1, day: 1)), 2)
            default:
                guard let d = PhraseWords.weekday(t[i + 1]) else { throw unknown(i + 1) }
                return (.day(coming(d, strictly: true)), 2)
            }
        case "in": return try relative(at: i)
        case "end": return try end(at: i)
        case "the":
            guard i + 1 < t.count, let n = PhraseWords.dayNumber(t[i + 1]) else { return nil }
            guard (1...31).contains(n) else { throw PhraseError(invalid: "\"\(words(i..<i + 2))\" is not a day of the month") }
            return (.day(nextDay(n)), 2)
        default:
            if let d = PhraseWords.weekday(w) { return (.day(coming(d)), 1) }
            if w.utf8.count >= 10, w.utf8.first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true, w.contains("-") { return try iso(w) }
            if let (m, d, y, n) = try monthDay(at: i) {
                if let y {
                    guard let date = LocalDate(year: y, month: m, day: d) else { throw PhraseError(invalid: "\"\(words(i..<i + n))\" is not a date") }
                    return (.day(date), n)
                }
                return (.day(nextOccurrence(month: m, day: d)), n)
            }
            return nil
        }
    }

    /// "on"/"this"/"next" followed by something else: quote that word, or say what is missing.
    func unknownAfter(_ i: Int, _ missing: String) -> PhraseError {
        i + 1 < t.count ? unknown(i + 1) : PhraseError(message: missing)
    }

    /// The first `weekday` on or after today (strictly after with `strictly`).
    func coming(_ weekday: Weekday, strictly: Bool = false) -> LocalDate {
        var ahead = (weekday.rawValue - today.weekday.rawValue + 7) % 7
        if strictly && ahead == 0 { ahead = 7 }
        return today.adding(days: ahead)
    }

    /// The next date not before today whose day of the month is `day` (1...31; months without it are skipped).
    func nextDay(_ day: Int) -> LocalDate {
        var y = today.year, m = today.month
        while true {
            if let d = LocalDate(year: y, month: m, day: day), d >= today { return d }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
    }

    /// The next `month`/`day` not before today (29 February: the next leap year's).
    func nextOccurrence(month: Int, day: Int) -> LocalDate {
        var y = today.year
        while true {
            if let d = LocalDate(year: y, month: month, day: day), d >= today { return d }
            y += 1
        }
    }

    /// `in 3 days`, `in a week`, `in 2 months` (clamped to the month's end), `in 1 year`.
    func relative(at i: Int) throws(PhraseError) -> (DatePart, Int)? {
        guard i + 1 < t.count else { return nil }
        let count = t[i + 1] == "a" || t[i + 1] == "an" ? 1 : PhraseWords.number(t[i + 1])
        guard i + 2 < t.count, let unit = PhraseWords.units[t[i + 2]] else {
            if count != nil || t[i + 1].hasPrefix("-") { throw PhraseError(message: "\"\(words(i..<i + 3))\" needs days, weeks, months or years") }
            return nil
        }
        guard let count, (1...999).contains(count) else {
            throw PhraseError(invalid: "\"\(words(i..<i + 3))\": the number must be a whole number from 1 to 999")
        }
        switch unit {
        case .daily: return (.day(today.adding(days: count)), 3)
        case .weekly: return (.day(today.adding(days: 7 * count)), 3)
        case .monthly: return (.day(today.adding(months: count)), 3)
        case .yearly: return (.day(today.adding(months: 12 * count)), 3)
        }
    }

    /// `end of month`, `end of the week` (the coming Sunday), `end of year`.
    func end(at i: Int) throws(PhraseError) -> (DatePart, Int)? {
        guard i + 1 < t.count, t[i + 1] == "of" else { return nil }
        var j = i + 2
        if j < t.count && t[j] == "the" { j += 1 }
        guard j < t.count else { throw PhraseError(message: "\"\(words(i..<j))\" needs \"month\", \"week\" or \"year\"") }
        switch t[j] {
        case "month": return (.day(today.endOfMonth), j - i + 1)
        case "week": return (.day(coming(.sunday)), j - i + 1)
        case "year": return (.day(LocalDate.clamped(year: today.year, month: 12, day: 31)), j - i + 1)
        default: throw unknown(j)
        }
    }

    /// `2026-01-05` or an RFC 3339 date-time.
    func iso(_ w: String) throws(PhraseError) -> (DatePart, Int) {
        if w.utf8.count == 10 {
            guard let d = LocalDate(iso: w) else { throw PhraseError(invalid: "\"\(w)\" is not a date") }
            return (.day(d), 1)
        }
        do { return (.fixed(try TaskDue(iso: w)), 1) } catch {
            throw PhraseError(invalid: "\"\(w)\" is not a date or an RFC 3339 date-time")
        }
    }

    /// `jan 5`, `january 5th`, `5 jan`, `5th of january`, each with an optional year (`jan 5, 2027`,
    /// `5 jan 2027`): month, day, year and tokens taken. The day is checked against the month (29 February
    /// passes here; a year decides).
    func monthDay(at i: Int) throws(PhraseError) -> (Int, Int, Int?, Int)? {
        var j = i
        let month: Int, day: Int
        if let m = PhraseWords.months[t[j]], j + 1 < t.count, let d = PhraseWords.dayNumber(t[j + 1]) {
            month = m; day = d; j += 2
        } else if let d = PhraseWords.dayNumber(t[j]) {
            var k = j + 1
            if k < t.count && t[k] == "of" && PhraseWords.isOrdinal(t[j]) { k += 1 }
            guard k < t.count, let m = PhraseWords.months[t[k]] else { return nil }
            month = m; day = d; j = k + 1
        } else {
            return nil
        }
        guard LocalDate(year: 2000, month: month, day: day) != nil else {
            throw PhraseError(invalid: "\"\(words(i..<j))\" is not a date")
        }
        var k = j
        if k < t.count && t[k] == "," { k += 1 }
        if k < t.count, t[k].utf8.count == 4, let y = PhraseWords.number(t[k]) {
            guard y >= 1 else { throw PhraseError(invalid: "\"\(words(i..<k + 1))\" is not a date") }
            return (month, day, y, k + 1 - i)
        }
        return (month, day, nil, j - i)
    }

    // MARK: Times

    /// A time part at `i`: seconds after midnight, tokens taken, and whether it was a bare hour after "at"
    /// ("at 9", which "tonight" reads as 21:00).
    func time(at i: Int) throws(PhraseError) -> (Int, Int, Bool)? {
        guard i < t.count else { return nil }
        var j = i
        let hadAt = t[j] == "at"
        if hadAt {
            j += 1
            guard j < t.count else { throw PhraseError(message: "\"at\" needs a time (\"at 9\", \"at 5pm\", \"at 17:30\")") }
        }
        switch PhraseWords.clock(t[j]) {
        case .time(let s):
            guard j + 1 < t.count, let add = PhraseWords.meridiem(Substring(t[j + 1])) else { return (s, j - i + 1, false) }
            // "5:30 pm": a 12-hour time written apart from its am/pm ("17:00 pm" is not a time).
            guard case .time(let twelve) = PhraseWords.clock(t[j] + (add == 0 ? "am" : "pm")) else {
                throw PhraseError(invalid: "\"\(words(j..<j + 2))\" is not a time")
            }
            return (twelve, j - i + 2, false)
        case .invalid: throw PhraseError(invalid: "\"\(t[j])\" is not a time")
        case .none: break
        }
        let word = t[j]
        let isNumber = PhraseWords.number(word) != nil
        if isNumber || (word.contains(":") && word.utf8.first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true) {
            if j + 1 < t.count, let add = PhraseWords.meridiem(Substring(t[j + 1])) {
                // "5 pm", "5:30 pm"
                guard case .time(let s) = PhraseWords.clock(word + (add == 0 ? "am" : "pm")) else {
                    throw PhraseError(invalid: "\"\(words(j..<j + 2))\" is not a time")
                }
                return (s, j - i + 2, false)
            }
            if hadAt, isNumber {
                guard word.utf8.count <= 2, let h = PhraseWords.number(word), h < 24 else {
                    throw PhraseError(invalid: "\"\(words(i..<j + 1))\" is not a time")
                }
                return (h * 3600, 2, true)
            }
        }
        if hadAt { throw unknown(j) }
        return nil
    }
}
