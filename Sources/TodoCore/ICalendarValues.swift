import Foundation

// MARK: - Property values on import

enum ICalValues {
    /// A DATE or DATE-TIME property (`DUE`, `COMPLETED`, `CREATED`...) as a due value and the IANA zone it named.
    ///
    /// `VALUE=DATE` (or an 8-digit value) is all-day; `...Z` is UTC; `TZID=` resolves an IANA name (an unknown one is
    /// reported and read as floating); no `Z` and no `TZID` is a floating time, read in `floatingZone`.
    /// - Returns: nil (and a problem) when the value is not a date or date-time.
    static func moment(_ p: ICalContentLine, floatingZone: TimeZone, problems: inout [ICalendarProblem]) -> (TaskDue, String?)? {
        let value = p.value.trimmingASCIIWhitespace()
        let kind = p.params["VALUE"]?.uppercased()
        if kind == "DATE" || (kind == nil && value.utf8.count == 8) {
            guard let date = ICalDate.date(value) else {
                problems.append(ICalendarProblem(line: p.line, message: "\(p.name): \"\(value.prefix(40))\" is not a date (20261201); dropped"))
                return nil
            }
            return (.date(date), nil)
        }
        guard kind == nil || kind == "DATE-TIME", let (date, second, utc) = ICalDate.dateTime(value) else {
            problems.append(ICalendarProblem(line: p.line, message:
                "\(p.name): \"\(value.prefix(40))\" is not a date (20261201) or date-time (20261201T170000, ...Z or with TZID); dropped"))
            return nil
        }
        if utc {
            return (TaskDue.at(ICalDate.instant(date, second), in: .utc(Timestamp(millisecondsSinceEpoch: 0))), nil)
        }
        if let tzid = p.params["TZID"] {
            if let zone = zone(named: tzid) {
                return (DateContext(now: Timestamp(millisecondsSinceEpoch: 0), zone: zone).due(on: date, at: second), zone.identifier)
            }
            problems.append(ICalendarProblem(line: p.line, message:
                "\(p.name): TZID \"\(tzid.prefix(64))\" is not an IANA time zone; read as a floating time in \(floatingZone.identifier)"))
        }
        return (DateContext(now: Timestamp(millisecondsSinceEpoch: 0), zone: floatingZone).due(on: date, at: second), nil)
    }

    /// Resolves a TZID: an IANA name, or one behind a path prefix (`/mozilla.org/20050126_1/Europe/Berlin`).
    static func zone(named tzid: String) -> TimeZone? {
        if let zone = try? DateContext.zone(named: tzid) { return zone }
        let parts = tzid.split(separator: "/")
        guard parts.count > 1 else { return nil }
        for start in 1..<parts.count {
            let name = parts[start...].joined(separator: "/")
            guard name.contains("/") || name == "UTC" else { continue }
            if let zone = try? DateContext.zone(named: name) { return zone }
        }
        return nil
    }

    /// The labels of all `CATEGORIES` properties: lowercased, spaces become `-`; a bad one is reported and dropped,
    /// and beyond `TaskRules.maxLabels` the rest are reported and dropped.
    static func labels(_ props: [ICalContentLine], problems: inout [ICalendarProblem]) -> [String] {
        var out: [String] = []
        for p in props {
            for item in ICalText.unescapeList(p.value) {
                let trimmed = TaskRules.trim(item)
                if trimmed.isEmpty { continue }
                let name = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: "-")
                do {
                    let label = try TaskRules.labels([name])
                    guard let l = label.first, !out.contains(l) else { continue }
                    guard out.count < TaskRules.maxLabels else {
                        problems.append(ICalendarProblem(line: p.line, message: "CATEGORIES: more than \(TaskRules.maxLabels) labels; \"\(l)\" dropped"))
                        continue
                    }
                    out.append(l)
                } catch {
                    let why = (error as? TodoError)?.message ?? "invalid label"
                    problems.append(ICalendarProblem(line: p.line, message: "CATEGORIES: \(why); \"\(trimmed.prefix(40))\" dropped"))
                }
            }
        }
        return out.sorted()
    }
}
