public import Foundation

// MARK: - Import

extension ICalendar {
    /// Reads the VTODOs of an iCalendar file (LF or CRLF, folded lines, any components around them).
    ///
    /// Unknown properties and components (VEVENT, VALARM, VTIMEZONE, X-APPLE-*, X-MOZ-*) are ignored. A bad
    /// property value is reported with its line and that property is dropped (the todo is still imported); a
    /// todo without a usable `SUMMARY`, or not closed by `END:VTODO`, is reported and skipped. A `TZID` that is
    /// not an IANA name (also tried without a `/mozilla.org/.../` style prefix) is reported and the time read
    /// as a floating time in `floatingZone`.
    /// - Parameters:
    ///   - text: the file's text.
    ///   - floatingZone: the zone floating times (no `Z`, no `TZID`) are read in.
    public static func importTodos(_ text: String, floatingZone: TimeZone = TimeZone(identifier: "UTC")!) -> ICalendarImport {
        var todos: [ImportedTodo] = []
        var problems: [ICalendarProblem] = []
        var stack: [(name: String, line: Int)] = []
        var current: [ICalContentLine] = []
        var pending: [ImportedTodo?] = []
        var calendarName: String?
        var sawCalendar = false
        for (number, raw) in ICalText.unfold(text) {
            guard raw.utf8.count <= ICalText.maxLine else {
                problems.append(ICalendarProblem(line: number, message: "line longer than \(ICalText.maxLine) bytes; ignored"))
                continue
            }
            guard let line = ICalText.parse(raw, line: number) else {
                problems.append(ICalendarProblem(line: number, message: "not an iCalendar content line (NAME:value); ignored"))
                continue
            }
            switch line.name {
            case "BEGIN":
                let name = line.value.uppercased()
                if name == "VCALENDAR" { sawCalendar = true }
                if name == "VTODO" && !stack.contains(where: { $0.name == "VTODO" }) { current = [] }
                stack.append((name, number))
            case "END":
                let name = line.value.uppercased()
                guard let top = stack.last else {
                    problems.append(ICalendarProblem(line: number, message: "END:\(name.prefix(40)) without BEGIN; ignored"))
                    continue
                }
                guard top.name == name else {
                    problems.append(ICalendarProblem(line: number, message: "END:\(name.prefix(40)) does not close BEGIN:\(top.name.prefix(40)) on line \(top.line); ignored"))
                    continue
                }
                stack.removeLast()
                if name == "VTODO" && !stack.contains(where: { $0.name == "VTODO" }) {
                    pending.append(todo(from: current, line: top.line, floatingZone: floatingZone, problems: &problems))
                }
            default:
                if stack.last?.name == "VTODO" {
                    current.append(line)
                } else if stack.last?.name == "VCALENDAR" && line.name == "X-WR-CALNAME" {
                    calendarName = ICalText.unescape(line.value)
                }
            }
        }
        for open in stack {
            let what = open.name == "VTODO" ? "; that todo is skipped" : ""
            problems.append(ICalendarProblem(line: open.line, message: "BEGIN:\(open.name.prefix(40)) is never closed by END:\(open.name.prefix(40))\(what)"))
        }
        if !sawCalendar {
            problems.insert(ICalendarProblem(line: 0, message: "no BEGIN:VCALENDAR: this is not an iCalendar file"), at: 0)
        }
        let project = calendarName.flatMap { try? TaskRules.project($0) }
        for case var todo? in pending {
            if todo.draft.project == nil { todo.draft.project = project }
            todos.append(todo)
        }
        problems.sort { $0.line < $1.line }
        return ICalendarImport(todos: todos, problems: problems)
    }

    /// Builds one todo from its properties, reporting bad ones; nil when it has no usable SUMMARY.
    static func todo(from props: [ICalContentLine], line: Int, floatingZone: TimeZone,
                     problems: inout [ICalendarProblem]) -> ImportedTodo? {
        var seen: [String: Int] = [:]
        var first: [String: ICalContentLine] = [:]
        var categories: [ICalContentLine] = []
        for p in props {
            if p.name == "CATEGORIES" { categories.append(p); continue }
            if let earlier = seen[p.name] {
                if p.name == "SUMMARY" || p.name == "DUE" || p.name == "RRULE" || p.name == "PRIORITY" || p.name == "DESCRIPTION" {
                    problems.append(ICalendarProblem(line: p.line, message: "\(p.name) appears again (first on line \(earlier)); this one is ignored"))
                }
                continue
            }
            seen[p.name] = p.line
            first[p.name] = p
        }
        func report(_ p: ICalContentLine, _ message: String) {
            problems.append(ICalendarProblem(line: p.line, message: "\(p.name): \(message)"))
        }
        func reason(_ error: any Error) -> String { (error as? TodoError)?.message ?? "invalid value" }

        // Without a usable SUMMARY the todo is skipped, but its other properties are still checked and reported.
        var title: String?
        if let summary = first["SUMMARY"] {
            do { title = try TaskRules.title(ICalText.unescape(summary.value)) } catch { report(summary, reason(error) + "; the todo is skipped") }
        } else {
            problems.append(ICalendarProblem(line: line, message: "VTODO has no SUMMARY; skipped"))
        }
        var draft = TaskDraft(title: title ?? "")
        if let p = first["DESCRIPTION"] {
            do { draft.description = try TaskRules.description(ICalText.unescape(p.value)) } catch { report(p, reason(error) + "; dropped") }
        }
        if let p = first["DUE"], let (due, zone) = ICalValues.moment(p, floatingZone: floatingZone, problems: &problems) {
            draft.due = due
            draft.timeZone = zone
            if case .dateTime = due, let x = first["X-TODOD-DUE"], let mine = try? TaskDue(iso: ICalText.unescape(x.value)),
                mine.instant != nil, mine.instant == due.instant {
                draft.due = mine
                if p.params["TZID"] == nil, let z = first["X-TODOD-TZID"].map({ ICalText.unescape($0.value) }),
                    (try? DateContext.zone(named: z)) != nil {
                    draft.timeZone = z
                }
            }
        }
        if let p = first["PRIORITY"] {
            if let n = Int(p.value.trimmingASCIIWhitespace()), (0...9).contains(n) {
                draft.priority = todoPriority(n)
            } else {
                report(p, "\"\(p.value.prefix(20))\" is not a priority 0-9; dropped")
            }
        }
        draft.labels = ICalValues.labels(categories, problems: &problems)
        if let p = first["X-TODOD-PROJECT"] {
            do { draft.project = try TaskRules.project(ICalText.unescape(p.value)) } catch { report(p, reason(error) + "; dropped") }
        }
        if let p = first["RRULE"] {
            do {
                draft.recurrence = try TaskRules.recurrence(try Recurrence(rrule: p.value), due: draft.due)
            } catch {
                report(p, reason(error) + (draft.due == nil ? "" : "; the todo is imported without repeating"))
            }
        }
        let status = first["STATUS"]?.value.trimmingASCIIWhitespace().uppercased()
        var completedAt: Timestamp?
        if let p = first["COMPLETED"] { completedAt = ICalValues.moment(p, floatingZone: floatingZone, problems: &problems)?.0.instantOrMidnight }
        if let x = first["X-TODOD-COMPLETED-AT"], let precise = Timestamp(rfc3339: ICalText.unescape(x.value)) {
            let sameSecond = completedAt.map { $0.millisecondsSinceEpoch / 1000 == precise.millisecondsSinceEpoch / 1000 } ?? true
            if sameSecond { completedAt = precise }
        }
        let completed = status == "COMPLETED" || status == "CANCELLED" || (status == nil && first["COMPLETED"] != nil)
        func stamp(_ name: String) -> Timestamp? {
            first[name].flatMap { ICalValues.moment($0, floatingZone: floatingZone, problems: &problems)?.0.instantOrMidnight }
        }
        guard title != nil else { return nil }
        return ImportedTodo(line: line, uid: first["UID"].map { ICalText.unescape($0.value) }, draft: draft, completed: completed,
                            completedAt: completedAt, createdAt: stamp("CREATED"), updatedAt: stamp("LAST-MODIFIED"))
    }
}

extension TaskDue {
    /// The instant of a timed due, or UTC midnight of an all-day one.
    var instantOrMidnight: Timestamp {
        instant ?? ICalDate.instant(date, 0)
    }
}
