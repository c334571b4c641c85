import Synchronization
import Testing
import TodoCore

// MARK: - Deadlines: one watcher for many time limits

@Suite("Deadlines", .timeLimit(.minutes(1)))
struct DeadlinesTests {
    /// Work that only ends when it is cancelled (or after an hour, which fails the suite's time limit).
    static func untilCancelled() async -> String {
        try? await Task.sleep(for: .seconds(3600))
        return Task.isCancelled ? "cancelled" : "slept an hour"
    }

    @Test("Work that finishes within its limit returns its value, not expired, and leaves nothing watched")
    func finishesInTime() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        let outcome = await deadlines.run(limit: .seconds(60)) { 42 }
        #expect(outcome.value == 42 && !outcome.expired)
        #expect(deadlines.count == 0)
    }

    @Test("Work past its limit is cancelled, onExpiry runs once before the cancellation, and the outcome says expired")
    func expires() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        let calls = Mutex<[String]>([])
        let started = ContinuousClock.now
        let outcome = await deadlines.run(limit: .milliseconds(100), onExpiry: { calls.withLock { $0.append("expired") } }) {
            let value = await Self.untilCancelled()
            calls.withLock { $0.append("operation saw: \(value)") }
            return value
        }
        let took = ContinuousClock.now - started
        #expect(outcome.value == "cancelled" && outcome.expired)
        #expect(calls.withLock { $0 } == ["expired", "operation saw: cancelled"])
        #expect(took >= .milliseconds(100), "cut after \(took), before its limit")
        #expect(deadlines.count == 0)
    }

    @Test("Cancelling the caller cancels the work without calling it expired")
    func callerCancelled() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        let caller = Task { await deadlines.run(limit: .seconds(3600)) { await Self.untilCancelled() } }
        try? await Task.sleep(for: .milliseconds(20))
        caller.cancel()
        let outcome = await caller.value
        #expect(outcome.value == "cancelled" && !outcome.expired)
        #expect(deadlines.count == 0)
    }

    @Test("1,000 concurrent limits, half of them cut: each expires or finishes as it should, and none stays watched")
    func many() async {
        let deadlines = Deadlines(tick: .milliseconds(5))
        let results = await withTaskGroup(of: (Int, String, Bool).self) { group in
            for i in 0..<1000 {
                group.addTask {
                    let outcome = await deadlines.run(limit: i.isMultiple(of: 2) ? .milliseconds(50) : .seconds(3600)) {
                        i.isMultiple(of: 2) ? await Self.untilCancelled() : "done \(i)"
                    }
                    return (i, outcome.value, outcome.expired)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 1000)
        for (i, value, expired) in results {
            if i.isMultiple(of: 2) {
                #expect(value == "cancelled" && expired, "\(i): \(value), expired \(expired)")
            } else {
                #expect(value == "done \(i)" && !expired, "\(i): \(value), expired \(expired)")
            }
        }
        #expect(deadlines.count == 0)
        // The watcher went idle; a new limit wakes it again.
        let late = await deadlines.run(limit: .milliseconds(30)) { await Self.untilCancelled() }
        #expect(late.expired && late.value == "cancelled")
    }
}
