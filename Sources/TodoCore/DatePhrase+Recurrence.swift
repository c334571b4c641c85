// MARK: - Recurrence phrases

extension DatePhrase {
    /// Reads a whole recurrence phrase (see `parseRecurrence`): a head (`daily`, `every 2 weeks`, `every mon,
    /// wed`, `every jan 5`, ...), then `on ...` days and at most one time, in any order.
    static func recurrence(_ r: PhraseReader, in context: DateContext) throws(PhraseError) -> (Recurrence, TaskDue) {
        let t = r.t
        var freq: Recurrence.Frequency
        var interval = 1, weekdays: [Weekday] = [], monthDay: Int?, month: Int?
        var i = 1
        if let f = PhraseWords.adverbs[t[0]] {
            freq = f
        } else {
            guard t[0] == "every" else { throw r.unknown(0) }
            guard i < t.count else {
                throw PhraseError(message: "\"every\" needs what repeats (\"every day\", \"every monday\", \"every month on the 1st\")")
            }
            var counted = false
            if t[i] == "other" {
                interval = 2; counted = true; i += 1
            } else if let n = PhraseWords.number(t[i]), i + 1 < t.count, PhraseWords.units[t[i + 1]] != nil {
                guard (1...999).contains(n) else {
                    throw PhraseError(invalid: "\"\(r.words(0..<i + 2))\": the number must be a whole number from 1 to 999")
                }
                interval = n; counted = true; i += 1
            }
            guard i < t.count else { throw PhraseError(message: "\"\(r.text)\" needs days, weeks, months or years") }
            if let unit = PhraseWords.units[t[i]] {
                freq = unit; i += 1
            } else if !counted, t[i] == "weekday" || t[i] == "weekdays" {
                freq = .weekly; weekdays = [.monday, .tuesday, .wednesday, .thursday, .friday]; i += 1
            } else if !counted, t[i] == "weekend" || t[i] == "weekends" {
                freq = .weekly; weekdays = [.saturday, .sunday]; i += 1
            } else if let (days, n) = weekdayList(r, at: i) {
                freq = .weekly; weekdays = days; i += n
            } else if !counted, let (m, d, y, n) = try r.monthDay(at: i) {
                guard y == nil else { throw PhraseError(message: "\"\(r.words(i..<i + n))\": a yearly date takes no year") }
                freq = .yearly; month = m; monthDay = d; i += n
            } else {
                throw notUnderstood(r, at: i)
            }
        }
        var time: Int?
        while i < t.count {
            if t[i] == "on" {
                let start = i
                i += 1
                guard i < t.count else { throw PhraseError(message: "\"on\" needs a day (\"on monday\", \"on the 1st\", \"on jan 5\")") }
                switch freq {
                case .weekly:
                    guard weekdays.isEmpty, let (days, n) = weekdayList(r, at: i) else { throw r.unknown(i) }
                    weekdays = days; i += n
                case .monthly:
                    guard monthDay == nil else { throw r.unknown(i) }
                    var j = i
                    if t[j] == "the" { j += 1 }
                    guard j < t.count else { throw PhraseError(message: "\"\(r.words(start..<j))\" needs a day (\"the 1st\", \"the last day\")") }
                    if t[j] == "last" {
                        monthDay = -1; j += 1
                        if j < t.count && t[j] == "day" { j += 1 }
                    } else if let n = PhraseWords.dayNumber(t[j]) {
                        guard (1...31).contains(n) else { throw PhraseError(invalid: "\"\(r.words(i..<j + 1))\" is not a day of the month") }
                        monthDay = n; j += 1
                    } else {
                        throw r.unknown(j)
                    }
                    i = j
                case .yearly:
                    guard month == nil, let (m, d, y, n) = try r.monthDay(at: i), y == nil else { throw r.unknown(i) }
                    month = m; monthDay = d; i += n
                case .daily:
                    throw PhraseError(message: "\"\(r.text)\": a daily rule takes no \"on\"")
                }
            } else if let (s, n, _) = try r.time(at: i) {
                guard time == nil else { throw PhraseError(message: "\"\(r.text)\" gives two times") }
                time = s; i += n
            } else {
                throw notUnderstood(r, at: i)
            }
        }
        let rule = Recurrence(freq, interval: interval, weekdays: weekdays, monthDay: monthDay, month: month)
        var first = rule.first(onOrAfter: r.today)
        let anchored = rule.anchored(to: first)
        guard let time else { return (anchored, .date(first)) }
        if context.instant(on: first, at: time) <= context.now { first = anchored.next(after: first) }
        return (anchored, context.due(on: first, at: time))
    }

    /// `mon`, `mon, wed`, `monday and friday`, `mon, wed, and fri`: the days and tokens taken.
    static func weekdayList(_ r: PhraseReader, at i: Int) -> ([Weekday], Int)? {
        let t = r.t
        guard i < t.count, let first = PhraseWords.weekday(t[i]) else { return nil }
        var days = [first], j = i + 1
        while j < t.count {
            var k = j
            if t[k] == "," {
                k += 1
                if k < t.count && t[k] == "and" { k += 1 }
            } else if t[k] == "and" {
                k += 1
            } else {
                break
            }
            guard k < t.count, let d = PhraseWords.weekday(t[k]) else { break }
            days.append(d)
            j = k + 1
        }
        return (days, j - i)
    }
}
