// MARK: - Finding the date inside a quick-add line

/// Looks for the one run of words that is a date or recurrence phrase (see `QuickAdd` for the rules).
struct QuickAddScan {
    /// The title words (priority, label and project tokens already taken out).
    let words: [QuickAddWord]
    let context: DateContext
    let today: LocalDate

    init(words: [QuickAddWord], context: DateContext) {
        self.words = words
        self.context = context
        self.today = context.today
    }

    /// A run read as a date.
    struct Found {
        var range: Range<Int>
        var when: ParsedWhen
    }

    enum Attempt {
        case parsed(ParsedWhen)
        case invalid(PhraseError, recurrence: Bool)
        case no
        /// Not a date, and no longer run from the same start can be one.
        case stop
    }

    /// The longest date run, nil when there is none.
    /// - Throws: `TodoError.validation` for a second run, or for recognized words with a wrong value.
    func find() throws -> Found? {
        var best: Found?
        var invalid: (start: Int, error: TodoError)?
        forEachRun(excluding: nil) { range, attempt in
            switch attempt {
            case .parsed(let when):
                if best == nil || range.count > best!.range.count { best = Found(range: range, when: when) }
            case .invalid(let e, let recurrence):
                if invalid == nil { invalid = (range.lowerBound, TodoError.validation(field: recurrence ? "recurrence" : "due", e.message)) }
            case .no, .stop: break
            }
            return true
        }
        if let invalid, best.map({ !$0.range.contains(invalid.start) }) ?? true { throw invalid.error }
        guard let best else { return nil }
        var second: Range<Int>?
        forEachRun(excluding: best.range) { range, attempt in
            if case .parsed = attempt { second = range; return false }
            return true
        }
        if let second {
            let a = words[best.range].map(\.text).joined(separator: " "), b = words[second].map(\.text).joined(separator: " ")
            let (first, then) = second.lowerBound < best.range.lowerBound ? (b, a) : (a, b)
            throw TodoError.validation(field: "due", "two dates in the text: \"\(first)\" and \"\(then)\" (put one in double quotes to keep it in the title)")
        }
        return best
    }

    /// Calls `body` for every run that starts with a date word, up to `QuickAdd.maxRun` words, not crossing
    /// a quoted part nor `excluding`; stops when `body` returns false.
    func forEachRun(excluding: Range<Int>?, _ body: (Range<Int>, Attempt) -> Bool) {
        for a in words.indices where excluding.map({ !$0.contains(a) }) ?? true && isStarter(words[a]) {
            var tokens: [String] = []
            var b = a
            while b < words.count && b - a < QuickAdd.maxRun {
                if case .quoted = words[b].kind { break }
                if let excluding, excluding.contains(b) { break }
                let lastWordStart = tokens.count
                tokens += words[b].tokens
                b += 1
                let result = attempt(tokens, endsTitle: b == words.count, lastWordStart: lastWordStart)
                guard body(a..<b, result) else { return }
                if case .stop = result { break }
            }
        }
    }

    /// Whether a word can begin a date phrase.
    func isStarter(_ word: QuickAddWord) -> Bool {
        guard let t = word.tokens.first else { return false }
        if let c = t.utf8.first, c >= 0x30, c <= 0x39 { return true }
        return PhraseWords.starters.contains(t) || PhraseWords.weekday(t) != nil || PhraseWords.months[t] != nil
            || PhraseWords.adverbs[t] != nil
    }

    /// Reads one run.
    func attempt(_ tokens: [String], endsTitle: Bool, lastWordStart: Int) -> Attempt {
        guard Self.isSafe(tokens, endsTitle: endsTitle) else {
            return Self.isSafe(tokens, endsTitle: true) ? .no : .stop
        }
        let r = PhraseReader(tokens: tokens, today: today)
        let recurrence = DatePhrase.isRecurrence(tokens)
        do {
            if recurrence {
                let (rule, due) = try DatePhrase.recurrence(r, in: context)
                return .parsed(ParsedWhen(due: due, recurrence: rule))
            }
            return .parsed(ParsedWhen(due: try DatePhrase.due(r, in: context), recurrence: nil))
        } catch {
            if error.isInvalidValue { return .invalid(error, recurrence: recurrence) }
            if let k = error.position, k < lastWordStart { return .stop }
            return .no
        }
    }

    /// Words allowed after which a weekday abbreviation counts as a weekday.
    static let weekdayLeads: Set<String> = ["on", "next", "this", "every", "other", ",", "and"]

    /// The quick-add rules for words that are dates only in some uses (see `QuickAdd`).
    static func isSafe(_ tokens: [String], endsTitle: Bool) -> Bool {
        guard let first = tokens.first else { return false }
        if tokens.count == 1 && (first == "noon" || first == "midnight") { return false }
        if PhraseWords.adverbs[first] != nil && !endsTitle { return false }
        for k in tokens.indices {
            let tok = tokens[k]
            let prev = k > 0 ? tokens[k - 1] : ""
            if PhraseWords.shortWeekdays[tok] != nil, !(weekdayLeads.contains(prev) || PhraseWords.weekday(prev) != nil) { return false }
            if tok == "the", prev != "on" && prev != "of" { return false }
        }
        return true
    }
}
