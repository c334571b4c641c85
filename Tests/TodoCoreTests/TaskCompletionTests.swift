import Foundation
import Testing
import TodoCore

@Suite struct TaskCompletionTests {
    static func task(due: String, rule: String?, zone: String? = nil) throws -> TaskItem {
        let created = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!
        return TaskItem(id: try TaskID("t_a"), title: "A", description: nil, completed: false, createdAt: created, updatedAt: created,
                        due: try TaskDue(iso: due), timeZone: zone, recurrence: try rule.map { try Recurrence(rrule: $0) })
    }

    static func context(_ now: String, _ zone: String = "Europe/Berlin") -> DateContext {
        DateContext(now: Timestamp(rfc3339: now)!, zone: TimeZone(identifier: zone)!)
    }

    static func complete(_ task: TaskItem, at now: String, zone: String = "Europe/Berlin") -> String? {
        task.completingOccurrence(in: context(now, zone), requestID: "r1")?.due?.iso
    }

    @Test func onTimeMovesOneOccurrence() throws {
        let t = try Self.task(due: "2026-12-04", rule: "FREQ=DAILY")
        let done = t.completingOccurrence(in: Self.context("2026-12-04T09:00:00Z"), requestID: "r1")
        #expect(done?.due?.iso == "2026-12-05")
        #expect(done?.completed == false)
        #expect(done?.completedAt == Timestamp(rfc3339: "2026-12-04T09:00:00Z"))
        #expect(done?.completionRequestID == "r1")
    }

    @Test func lateSkipsMissedOccurrencesAndLandsOnTodayOrLater() throws {
        #expect(Self.complete(try Self.task(due: "2026-11-25", rule: "FREQ=DAILY"), at: "2026-12-04T09:00:00Z") == "2026-12-04")
        #expect(Self.complete(try Self.task(due: "2026-11-02", rule: "FREQ=WEEKLY;BYDAY=MO"), at: "2026-12-04T09:00:00Z") == "2026-12-07")
        #expect(Self.complete(try Self.task(due: "2026-01-31", rule: "FREQ=MONTHLY;BYMONTHDAY=31"), at: "2026-04-15T09:00:00Z") == "2026-04-30")
        // Timed: the next occurrence later than now (09:00 today has passed at 10:00).
        let timed = try Self.task(due: "2026-12-01T09:00:00+01:00", rule: "FREQ=DAILY", zone: "Europe/Berlin")
        #expect(Self.complete(timed, at: "2026-12-04T09:00:00Z") == "2026-12-05T09:00:00+01:00")
    }

    @Test func earlyMovesExactlyOneOccurrence() throws {
        #expect(Self.complete(try Self.task(due: "2026-12-10", rule: "FREQ=DAILY"), at: "2026-12-04T09:00:00Z") == "2026-12-11")
        #expect(Self.complete(try Self.task(due: "2027-01-01", rule: "FREQ=MONTHLY;BYMONTHDAY=1"), at: "2026-12-04T09:00:00Z") == "2027-02-01")
    }

    @Test func timedDailyKeepsItsWallClockTimeAcrossDaylightSaving() throws {
        let berlin = try Self.task(due: "2026-03-28T09:00:00+01:00", rule: "FREQ=DAILY", zone: "Europe/Berlin")
        #expect(Self.complete(berlin, at: "2026-03-28T08:30:00Z") == "2026-03-29T09:00:00+02:00")
        let fall = try Self.task(due: "2026-10-24T09:00:00+02:00", rule: "FREQ=DAILY", zone: "Europe/Berlin")
        #expect(Self.complete(fall, at: "2026-10-24T07:30:00Z") == "2026-10-25T09:00:00+01:00")
        // The task's own zone wins over the request's.
        let ny = try Self.task(due: "2026-03-07T09:00:00-05:00", rule: "FREQ=DAILY", zone: "America/New_York")
        #expect(Self.complete(ny, at: "2026-03-07T15:00:00Z", zone: "Europe/Berlin") == "2026-03-08T09:00:00-04:00")
    }

    @Test func aTaskWithoutRecurrenceIsNotAnOccurrence() throws {
        #expect(Self.complete(try Self.task(due: "2026-12-04", rule: nil), at: "2026-12-04T09:00:00Z") == nil)
    }
}
