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

    // MARK: abandoning (limits that do not wait for the work)

    /// A flag and a counter shared with the work and the conditions.
    final class Shared: Sendable {
        let flag = Atomic<Bool>(false)
        let count = Atomic<Int>(0)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func set(_ value: Bool = true) { flag.store(value, ordering: .relaxed) }
    }

    /// Work that ignores cancellation: it ends only when `release` is set.
    static func ignoringCancellation(_ release: Shared) async -> String {
        while !release.isSet { try? await Task.sleep(for: .milliseconds(5)) }
        return "released"
    }

    @Test("abandoning: a result within the limit is returned (value or error) and nothing stays watched")
    func abandoningInTime() async throws {
        struct Refused: Error {}
        let deadlines = Deadlines(tick: .milliseconds(10))
        let value = await deadlines.abandoning(limit: .seconds(60)) { 7 }
        #expect(try value?.get() == 7)
        let failed = await deadlines.abandoning(limit: .seconds(60)) { () async throws -> Int in throw Refused() }
        #expect(throws: Refused.self) { try failed?.get() }
        #expect(deadlines.count == 0)
    }

    @Test("abandoning: at the limit the caller gets nil at once although the work ignores its cancellation")
    func abandoningLimit() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        let release = Shared()
        let sawCancel = Shared()
        let started = ContinuousClock.now
        let outcome = await deadlines.abandoning(limit: .milliseconds(100)) {
            let value = await Self.ignoringCancellation(release)
            sawCancel.set(Task.isCancelled)
            return value
        }
        let took = ContinuousClock.now - started
        #expect(outcome == nil, "the abandoned work answered: \(String(describing: outcome))")
        #expect(took >= .milliseconds(100) && took < .seconds(30), "gave up after \(took)")
        #expect(deadlines.count == 0)
        // The work still runs; once it ends it saw its cancellation (and its late result goes nowhere).
        release.set()
        for _ in 0..<400 where !sawCancel.isSet { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(sawCancel.isSet, "the abandoned work was not cancelled")
    }

    @Test("abandoning: gives up early once giveUpAfter has passed and the condition holds, not before")
    func abandoningGivesUp() async {
        let deadlines = Deadlines(tick: .milliseconds(10))
        let release = Shared()
        let lost = Shared()
        let asked = Shared()
        let started = ContinuousClock.now
        let flip = Task {
            try? await Task.sleep(for: .milliseconds(150))
            lost.set()
        }
        let outcome = await deadlines.abandoning(limit: .seconds(3600), giveUpAfter: .milliseconds(50), when: {
            asked.count.add(1, ordering: .relaxed)
            return lost.isSet
        }) { await Self.ignoringCancellation(release) }
        let took = ContinuousClock.now - started
        _ = await flip.value
        release.set()
        #expect(outcome == nil)
        #expect(took >= .milliseconds(150) && took < .seconds(60), "gave up after \(took)")
        #expect(asked.count.load(ordering: .relaxed) >= 2, "the condition was asked \(asked.count.load(ordering: .relaxed)) times")
        #expect(deadlines.count == 0)
        // A condition that holds from the start is not asked before giveUpAfter.
        let early = ContinuousClock.now
        let quick = await deadlines.abandoning(limit: .seconds(3600), giveUpAfter: .milliseconds(200), when: { true }) {
            await Self.untilCancelled()
        }
        let tookEarly = ContinuousClock.now - early
        #expect(quick == nil && tookEarly >= .milliseconds(200), "gave up after \(tookEarly)")
    }

    @Test("abandoning: cancelling the caller cancels the work, whose answer the caller gets")
    func abandoningCallerCancelled() async throws {
        let deadlines = Deadlines(tick: .milliseconds(10))
        let caller = Task { await deadlines.abandoning(limit: .seconds(3600)) { await Self.untilCancelled() } }
        try? await Task.sleep(for: .milliseconds(20))
        caller.cancel()
        let outcome = await caller.value
        #expect(try outcome?.get() == "cancelled")
        #expect(deadlines.count == 0)
        // Cancelled before it started: the work is cancelled as soon as it exists.
        let pre = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await deadlines.abandoning(limit: .seconds(3600)) { await Self.untilCancelled() }
        }
        #expect(try await pre.value?.get() == "cancelled")
    }
}
