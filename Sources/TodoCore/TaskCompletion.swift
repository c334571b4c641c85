public import Foundation

// MARK: - Completing a recurring task

extension TaskItem {
    /// The zone this task's dates are read in: its own zone, else the fixed offset of a timed due, else `fallback`.
    /// - Parameter fallback: the zone of the request (or the daemon).
    public func zone(or fallback: TimeZone) -> TimeZone {
        if let timeZone, let zone = TimeZone(identifier: timeZone) { return zone }
        if case .dateTime(_, _, let offset) = due, let zone = TimeZone(secondsFromGMT: offset) { return zone }
        return fallback
    }

    /// The task after one completion of a recurring task: still open, `completed_at` set, due moved to the
    /// next occurrence after the current due that is not in the past (today for an all-day due, later than
    /// now for a timed one). Completing early moves exactly one occurrence; completing late skips the
    /// occurrences already missed.
    /// - Parameters:
    ///   - context: now and the fallback zone (the task's own zone wins).
    ///   - requestID: the completion's idempotency key, remembered so a retry changes nothing.
    /// - Returns: nil when the task does not recur (the caller completes it normally).
    public func completingOccurrence(in context: DateContext, requestID: String?) -> TaskItem? {
        guard let rule = recurrence, let due else { return nil }
        let local = DateContext(now: context.now, zone: zone(or: context.zone))
        var out = self
        switch due {
        case .date(let date):
            var next = rule.next(after: date)
            let today = local.today
            var steps = 0
            while next < today && steps < 100_000 { next = rule.next(after: next); steps += 1 }
            out.due = .date(next)
        case .dateTime(let date, let second, _):
            var next = rule.next(after: date)
            var at = local.instant(on: next, at: second)
            var steps = 0
            while at <= context.now && steps < 100_000 {
                next = rule.next(after: next)
                at = local.instant(on: next, at: second)
                steps += 1
            }
            out.due = TaskDue.at(at, in: local)
        }
        out.completedAt = context.now
        out.completionRequestID = requestID
        out.updatedAt = max(context.now, createdAt)
        return out
    }
}
