import Foundation
import Synchronization
import Testing
import TodoCore
@testable import TodoStore

// MARK: - EIO / ENOSPC at every write, fsync and rename

@Suite("Store fault tests", .timeLimit(.minutes(10)))
struct StoreFaultTests {
    static let trace = StoreCrashTests.trace
    static let options = StoreCrashTests.options

    static func reference() async throws -> (states: [LogicalState], counts: [SimulatedDisk.Operation: Int]) {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk, options: options)
        let before = Dictionary(uniqueKeysWithValues: SimulatedDisk.Operation.allCases.map { ($0, disk.count(of: $0)) })
        let outcome = await run(trace, on: store, record: true)
        #expect(outcome.error == nil)
        await store.close()
        let counts = Dictionary(uniqueKeysWithValues: SimulatedDisk.Operation.allCases.map { ($0, disk.count(of: $0) - before[$0]!) })
        return (outcome.states, counts)
    }

    @Test("a fault at the Nth call: no ack after it, a clear error, the fatal handler fires, restart recovers all acks",
          arguments: SimulatedDisk.Operation.allCases)
    func faultAtEveryCall(operation: SimulatedDisk.Operation) async throws {
        let (states, counts) = try await Self.reference()
        let calls = counts[operation]!
        #expect(calls > 0)
        var fired = 0
        for fault in [SimulatedDisk.Fault.eio, .enospc] {
            for n in 1...calls {
                let disk = SimulatedDisk()
                let store = try await openSimulated(disk, options: Self.options)
                let handled = Mutex<StoreError?>(nil)
                store.onFatalFailure { error in handled.withLock { $0 = error } }
                let callsBefore = disk.count(of: operation)
                disk.injectFault(fault, at: n, operation: operation, persistent: n % 2 == 0)
                let outcome = await run(Self.trace, on: store)
                await store.close()  // waits for background compaction, which may hit the fault last
                let failure = await store.failure
                if failure == nil {
                    // Group commit batches differently from run to run, so this run may make fewer calls.
                    #expect(outcome.error == nil && disk.count(of: operation) - callsBefore < n, "fault \(fault) at \(operation) #\(n) vanished")
                    continue
                }
                fired += 1
                #expect(!outcome.ackAfterFailure, "\(fault) at \(operation) #\(n): acknowledged after the fault")
                #expect(handled.withLock { $0 }?.code == .stopped)
                #expect(failure?.code == .stopped)
                let name = fault == .eio ? "EIO" : "ENOSPC"
                #expect("\(failure!)".contains(name), "error should name \(name): \(failure!)")
                // Restart as the supervisor would (page cache intact, partial writes visible), and after power loss.
                let restarted = disk.clone()
                restarted.restartProcess()
                disk.crash()
                for (how, target) in [("restart", restarted), ("power loss", disk)] {
                    let recovered = try await openSimulated(target, options: Self.options)
                    let state = try await LogicalState.read(recovered)
                    let ok = StoreCrashTests.acceptable(state, states: states, failedAt: outcome.failedAt, ackedInGroup: outcome.ackedInFailedGroup)
                    #expect(ok, "\(fault) at \(operation) #\(n), failed at op \(outcome.failedAt), \(how): \(state)")
                    await recovered.close()
                }
            }
        }
        #expect(fired >= calls, "most injected faults must fire (\(fired) of \(2 * calls))")
    }
}
