#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import TodoControl
import TodoCore
import TodoTesting

// MARK: - kill -9 during concurrent adds

/// 300 rounds: start todod, run concurrent `todoctl add`s (each with its own request id, plus the retries of
/// earlier unanswered adds with their original ids), SIGKILL the daemon a random 0-30 ms after the round's first acknowledgement, restart. At the end every
/// acknowledged task must be there, every request id exactly once, and nothing that was never requested.
/// Run alone (scripts/test), the 300 rounds took 589 s on the 2-core CI VM (about 2 s a round); the limit leaves room.
@Suite("kill -9 while adding", .serialized, .timeLimit(.minutes(15)))
struct KillNineTests {
    static let rounds = Int(ProcessInfo.processInfo.environment["TODOD_KILL_ROUNDS"] ?? "") ?? 300
    static let clientsPerRound = 4
    /// How long after the round's first acknowledgement the daemon is killed.
    static let killWindow = 0...30

    struct Outcome: Sendable {
        var requestID: String
        var taskID: String?
    }

    @Test func noAcknowledgedTaskIsLostAndNoneIsDuplicated() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-k9-")
        defer { dir.remove() }
        let started = ContinuousClock.now
        var acked: [String: String] = [:]  // request id → task id
        var pending: [String] = []
        var requested: Set<String> = []
        var kills = 0
        var generator = SystemRandomNumberGenerator()
        var env: [String: String] = [:]
        for round in 0..<Self.rounds {
            let t0 = ContinuousClock.now
            let daemon = try DaemonProcess(root: dir.path)
            env = daemon.environment
            env["TODOCTL_RETRY_DELAY_MS"] = "0"
            try await daemon.waitUntilReady()
            let t1 = ContinuousClock.now
            let fresh = (0..<Self.clientsPerRound).map { "r\(round)-\($0)" }
            requested.formUnion(fresh)
            let batch = pending + fresh
            let clientEnv = env
            let firstAck = Flag()
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for rid in batch {
                    group.addTask {
                        let outcome = try await Self.add(rid, environment: clientEnv)
                        if outcome.taskID != nil { firstAck.set() }
                        return outcome
                    }
                }
                // Kill while adds are in flight: once the first add was acknowledged (or after 400 ms), wait a
                // random 0-30 ms more.
                let deadline = ContinuousClock.now + .milliseconds(400)
                while !firstAck.isSet && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
                try await Task.sleep(for: .milliseconds(Int.random(in: Self.killWindow, using: &generator)))
                _ = await daemon.kill9()
                kills += 1
                var all: [Outcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            if round < 0 { print("round \(round): start→ready \(t1 - t0), round \(ContinuousClock.now - t0), acked \(outcomes.filter { $0.taskID != nil }.count)/\(outcomes.count)") }
            pending = []
            for outcome in outcomes {
                if let taskID = outcome.taskID {
                    if let earlier = acked[outcome.requestID] { #expect(earlier == taskID, "request \(outcome.requestID) answered with two ids") }
                    acked[outcome.requestID] = taskID
                } else {
                    pending.append(outcome.requestID)
                }
            }
        }
        // Final restart: the remaining unanswered adds are retried with their ids and must now succeed.
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        for rid in pending {
            let outcome = try await Self.add(rid, environment: daemon.environment)
            let taskID = try #require(outcome.taskID, "retry of \(rid) failed")
            acked[rid] = taskID
        }
        let list = try await ControlClient(socketPath: daemon.socketPath).call(ControlMethods.ListTasks.self, ListTasksParams())
        _ = await daemon.stop()
        let byTitle = Dictionary(grouping: list.tasks, by: \.title)
        #expect(byTitle.values.allSatisfy { $0.count == 1 }, "duplicates: \(byTitle.filter { $0.value.count > 1 }.keys.sorted())")
        #expect(Set(byTitle.keys) == requested, "lost or unexpected tasks")
        for (rid, taskID) in acked {
            #expect(byTitle[rid]?.first?.id.rawValue == taskID, "acknowledged \(rid) → \(taskID) missing")
        }
        #expect(acked.count == requested.count)
        let seconds = (ContinuousClock.now - started).components.seconds
        print("kill -9: \(Self.rounds) rounds, \(kills) kills, \(requested.count) adds, \(list.tasks.count) stored, \(pending.count) retried at the end, \(seconds) s")
    }

    static func add(_ requestID: String, environment: [String: String]) async throws -> Outcome {
        let result = try await runTodoctl(["add", requestID, "--request-id", requestID, "--json"], environment: environment)
        guard result.status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let id = object["id"] as? String
        else { return Outcome(requestID: requestID, taskID: nil) }
        return Outcome(requestID: requestID, taskID: id)
    }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
