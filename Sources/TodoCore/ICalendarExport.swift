// MARK: - Export

extension ICalendar {
    /// A VCALENDAR with one VTODO per task (CRLF line endings, lines folded at 75 octets). See `ICalendar` for the mapping.
    /// - Parameters:
    ///   - tasks: the tasks, in the order to write them.
    ///   - now: the `DTSTAMP` of every VTODO.
    public static func export(_ tasks: [TaskItem], now: Timestamp) -> String {
        var out = ""
        func emit(_ line: String) { out += ICalText.fold(line) }
        emit("BEGIN:VCALENDAR")
        emit("VERSION:2.0")
        emit("PRODID:" + productID)
        emit("CALSCALE:GREGORIAN")
        for task in tasks {
            for line in vtodo(task, now: now) { emit(line) }
        }
        emit("END:VCALENDAR")
        return out
    }

    /// The unfolded lines of one VTODO.
    static func vtodo(_ task: TaskItem, now: Timestamp) -> [String] {
        var lines = ["BEGIN:VTODO"]
        lines.append("UID:" + ICalText.escape(uid(for: task.id)))
        lines.append("DTSTAMP:" + ICalDate.utc(now))
        lines.append("CREATED:" + ICalDate.utc(task.createdAt))
        lines.append("LAST-MODIFIED:" + ICalDate.utc(task.updatedAt))
        lines.append("SUMMARY:" + ICalText.escape(task.title))
        if let description = task.description { lines.append("DESCRIPTION:" + ICalText.escape(description)) }
        if let due = task.due {
            let value = dueValue(due)
            if task.recurrence != nil { lines.append("DTSTART" + value) }
            lines.append("DUE" + value)
            if due.instant != nil { lines.append("X-TODOD-DUE:" + due.iso) }
        }
        if let zone = task.timeZone, task.due?.instant != nil { lines.append("X-TODOD-TZID:" + ICalText.escape(zone)) }
        if let p = icalPriority(task.priority) { lines.append("PRIORITY:\(p)") }
        if !task.labels.isEmpty { lines.append("CATEGORIES:" + task.labels.map(ICalText.escape).joined(separator: ",")) }
        if let project = task.project { lines.append("X-TODOD-PROJECT:" + ICalText.escape(project)) }
        if let recurrence = task.recurrence { lines.append("RRULE:" + recurrence.rrule) }
        lines.append("STATUS:" + (task.completed ? "COMPLETED" : "NEEDS-ACTION"))
        if let completedAt = task.completedAt {
            if task.completed {
                lines.append("COMPLETED:" + ICalDate.utc(completedAt))
                lines.append("PERCENT-COMPLETE:100")
            }
            lines.append("X-TODOD-COMPLETED-AT:" + completedAt.rfc3339)
        }
        lines.append("END:VTODO")
        return lines
    }

    /// `;VALUE=DATE:20261201` or `:20261201T160000Z` (the property name goes in front).
    static func dueValue(_ due: TaskDue) -> String {
        switch due {
        case .date(let d): return ";VALUE=DATE:" + ICalDate.basic(d)
        case .dateTime:
            guard let instant = due.instant else { return ":" }
            return ":" + ICalDate.utc(instant)
        }
    }
}
