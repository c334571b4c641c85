// MARK: - Matching

extension TaskQuery {
    /// A query bound to a moment and zone: every date boundary computed once, so matching a task is a few
    /// integer comparisons (plus a substring search when `text` is set).
    public struct Matcher: Sendable {
        let query: TaskQuery
        let now: Timestamp
        /// Inclusive lower and exclusive upper bounds, as local day numbers (all-day dues) and instants (timed).
        private var dayLow = Int.min, dayHigh = Int.max
        private var instantLow = Int64.min, instantHigh = Int64.max
        private let wantsNoDue: Bool, wantsDue: Bool, overdue: Bool
        private let needle: [UInt8]?

        /// - Parameters:
        ///   - query: the query (validated).
        ///   - context: now and the zone "today" is in.
        public init(_ query: TaskQuery, context: DateContext) {
            self.query = query
            self.now = context.now
            let today = context.today
            func bound(_ day: LocalDate) -> (Int, Int64) { (day.dayNumber, context.startOfDay(day).millisecondsSinceEpoch) }
            wantsNoDue = query.due == DueWindow.none
            overdue = query.due == .overdue
            wantsDue = query.due != nil && !wantsNoDue || query.dueBefore != nil || query.dueAfter != nil
            var low: LocalDate?, high: LocalDate?
            switch query.due {
            case .today: low = today; high = today.adding(days: 1)
            case .todayOrOverdue: high = today.adding(days: 1)
            case .tomorrow: low = today.adding(days: 1); high = today.adding(days: 2)
            case .next7Days: low = today; high = today.adding(days: 7)
            case .upcoming: low = today.adding(days: 1)
            default: break
            }
            if let b = query.dueBefore { high = high.map { min($0, b) } ?? b }
            if let a = query.dueAfter { low = max(low ?? a.adding(days: 1), a.adding(days: 1)) }
            if let low { (dayLow, instantLow) = bound(low) }
            if let high { (dayHigh, instantHigh) = bound(high) }
            if overdue { dayHigh = min(dayHigh, today.dayNumber); instantHigh = min(instantHigh, context.now.millisecondsSinceEpoch) }
            needle = query.text.map { Array($0.lowercased().utf8) }
        }

        /// Whether a task passes every condition.
        /// - Parameter task: the task.
        public func matches(_ task: TaskItem) -> Bool {
            guard query.status.matches(task) else { return false }
            if overdue && task.completed { return false }
            if let p = query.priority, task.priority != p { return false }
            if wantsNoDue { if task.due != nil { return false } } else if wantsDue {
                guard let due = task.due else { return false }
                if let instant = due.instant {
                    let ms = instant.millisecondsSinceEpoch
                    if ms < instantLow || ms >= instantHigh { return false }
                } else {
                    let day = due.date.dayNumber
                    if day < dayLow || day >= dayHigh { return false }
                }
            }
            if let label = query.label, !task.labels.contains(label) { return false }
            if let project = query.project, task.project?.lowercased() != project { return false }
            if let needle, !(containsFolded(task.title, needle) || task.description.map { containsFolded($0, needle) } == true) { return false }
            return true
        }

        /// The matching tasks, sorted (stable: ties keep the input's creation order) and limited.
        /// - Parameter tasks: the tasks in creation order.
        public func run(_ tasks: some Sequence<TaskItem>) -> [TaskItem] {
            var out = tasks.filter(matches)
            switch query.sort {
            case .created: break
            case .due:
                out = zip(out.indices, out).sorted { a, b in
                    let ka = a.1.due?.sortKey ?? .max, kb = b.1.due?.sortKey ?? .max
                    return ka != kb ? ka < kb : a.0 < b.0
                }.map(\.1)
            case .priority:
                out = zip(out.indices, out).sorted { a, b in
                    let ka = a.1.priority ?? 5, kb = b.1.priority ?? 5
                    return ka != kb ? ka < kb : a.0 < b.0
                }.map(\.1)
            }
            if let limit = query.limit, out.count > limit { out.removeLast(out.count - limit) }
            return out
        }
    }
}

/// Case-insensitive substring search: ASCII letters fold byte-wise; text with other letters falls back to
/// `lowercased()`. `needle` is already lowercase UTF-8.
func containsFolded(_ haystack: String, _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    var hay = haystack
    let ascii: Bool? = hay.withUTF8 { buf -> Bool? in
        guard buf.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard buf.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        let last = buf.count - needle.count
        while i <= last {
            if fold(buf[i]) == first {
                var j = 1
                while j < needle.count && fold(buf[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
    if let ascii { return ascii }
    return haystack.lowercased().utf8.firstRange(of: needle) != nil
}

@inline(__always) private func fold(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
