// MARK: - DueText

/// Due dates in words for people (todoctl tables) and for the model (tool results): one formatter.
public enum DueText {
    /// An absolute English form the model can repeat: "Monday 1 December 2026", "Friday 5 December 2026 at 17:00".
    /// - Parameter due: the due value (read in its own offset).
    public static func absolute(_ due: TaskDue) -> String {
        let d = due.date
        var s = "\(d.weekday.name) \(d.day) \(monthNames[d.month - 1]) \(d.year)"
        if let second = due.secondOfDay { s += " at " + clock(second) }
        return s
    }

    /// A relative form for a list: "today", "tomorrow 17:00", "yesterday", "Friday", "in 12 days",
    /// "3 days overdue", "5 Jan 2027". Timed dues are shown in the viewer's zone.
    /// - Parameters:
    ///   - due: the due value.
    ///   - context: now and the viewer's zone.
    ///   - completed: a done task is never "overdue".
    public static func relative(_ due: TaskDue, in context: DateContext, completed: Bool = false) -> String {
        let today = context.today
        let date: LocalDate, time: String?
        if let instant = due.instant {
            date = context.localDate(of: instant)
            time = clock(context.secondOfDay(of: instant))
        } else {
            date = due.date
            time = nil
        }
        let days = date.dayNumber - today.dayNumber
        let overdue = !completed && (due.instant.map { $0 < context.now } ?? (days < 0))
        var word: String
        switch days {
        case 0: word = "today"
        case 1: word = "tomorrow"
        case -1: word = "yesterday"
        case 2...6: word = date.weekday.name
        case 7...30: word = "in \(days) days"
        default: word = "\(date.day) \(monthNames[date.month - 1].prefix(3))" + (date.year == today.year ? "" : " \(date.year)")
        }
        if let time { word += " " + time }
        if overdue && days < -1 { return "\(-days) days overdue" }
        if overdue { return word + " (overdue)" }
        return word
    }

    /// `17:00`.
    static func clock(_ second: Int) -> String { pad(second / 3600, 2) + ":" + pad(second / 60 % 60, 2) }
}
