import Foundation
import Testing
import TodoCore
@testable import TodoStore

// MARK: - Crash-point enumeration on the simulated disk

@Suite("Store crash tests", .timeLimit(.minutes(10)))
struct StoreCrashTests {
    static let trace = makeTrace(count: 220)
    static let options = StoreOptions(autoCompactMinimumLines: 16)

    /// Checks a recovered state against the states before and after the operation that was in flight.
    static func acceptable(_ recovered: LogicalState, states: [LogicalState], failedAt j: Int, ackedInGroup: Set<String>) -> Bool {
        if recovered == states[j] { return true }
        guard j < trace.count else { return false }
        if recovered == states[j + 1] { return true }
        if case .concurrentAdds = trace[j] { return recovered.isBetween(states[j], states[j + 1], acked: ackedInGroup) }
        return false
    }

    @Test("the trace has at least 200 mixed operations")
    func traceShape() {
        #expect(Self.trace.count >= 200)
        let kinds = Set(Self.trace.map { String(describing: $0).prefix(while: { $0 != "(" }) })
        #expect(kinds.isSuperset(of: ["add", "concurrentAdds", "retryAdd", "rename", "complete", "delete", "saveThread", "saveItem", "deleteItem", "compact"]))
    }

    @Test("crash after every operation k, with and without a torn last write, recovers exactly the acknowledged state")
    func crashAfterEveryOperation() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk, options: Self.options)
        var expected = try await LogicalState.read(store)
        for (k, op) in Self.trace.enumerated() {
            var acks: Set<String> = []
            try await perform(op, index: k, on: store, groupAcks: &acks)
            expected = try await LogicalState.read(store)
            for tear in [false, true] {
                let copy = disk.clone()
                copy.crash(tearLastWrite: tear)
                let recovered = try await openSimulated(copy, options: Self.options)
                let state = try await LogicalState.read(recovered)
                #expect(state == expected, "after op \(k) \(op), tear=\(tear)")
                await recovered.close()
            }
        }
        #expect(expected.tasks.values.joined().count > 20)
        #expect(!expected.items.isEmpty)
    }

    @Test("power cut at every disk operation of the trace: acked ⊆ recovered ⊆ acked + in-flight, torn or not")
    func powerCutAtEveryDiskOperation() async throws {
        let referenceDisk = SimulatedDisk()
        let reference = try await openSimulated(referenceDisk, options: Self.options)
        let start = referenceDisk.mutatingOperations
        let ref = await run(Self.trace, on: reference, record: true)
        #expect(ref.error == nil)
        await reference.close()
        let total = referenceDisk.mutatingOperations - start
        #expect(total > 400)
        var checked = 0
        for n in 0..<total {
            let disk = SimulatedDisk()
            let store = try await openSimulated(disk, options: Self.options)
            disk.cutPower(afterOperations: n)
            let outcome = await run(Self.trace, on: store)
            #expect(!outcome.ackAfterFailure, "an operation was acknowledged after the failure (cut at \(n))")
            for tear in [false, true] {
                let copy = disk.clone()
                copy.crash(tearLastWrite: tear)
                let recovered = try await openSimulated(copy, options: Self.options)
                let state = try await LogicalState.read(recovered)
                let ok = Self.acceptable(state, states: ref.states, failedAt: outcome.failedAt, ackedInGroup: outcome.ackedInFailedGroup)
                #expect(ok, "cut after \(n) disk ops, failed at op \(outcome.failedAt), tear=\(tear): \(state) vs \(ref.states[outcome.failedAt])")
                await recovered.close()
                checked += 1
            }
        }
        #expect(checked == 2 * total)
    }
}
