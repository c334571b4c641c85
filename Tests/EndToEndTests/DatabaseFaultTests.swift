import Foundation
import Testing
import TodoControl
import TodoCore
import TodoTesting

// MARK: - PostgreSQL stops under load from two instances

/// `pg_ctl stop -m immediate` and then `-m fast`, each followed by a start, while adds and ChatKit turns run
/// through two real todod processes: failures are fast and clear, nothing acknowledged is lost or doubled, every
/// finished turn is stored, and both instances serve again without being restarted.
@Suite("PostgreSQL restarts under load from two instances", .serialized, .timeLimit(.minutes(3)), .enabled(if: postgresEndToEndEnabled))
struct DatabaseFaultTests {
    @Test("stop -m immediate and -m fast during adds and chat turns: acknowledged work survives, both instances recover")
    func restartsUnderLoad() async throws {
        let model = try await ScriptedLLMServer.start(script: addTaskModel)
        defer { Task { await model.stop() } }
        // Its own cluster: stopping the shared one would fail every PostgreSQL test running beside this one.
        try await PrivateCluster.with { cluster in
        try await PGPair.with(llm: model.baseURL, adminURL: cluster.adminURL) { pair in
            let load = FaultWorkload(pair: pair, tokens: ["A": try await pair.a.token(), "B": try await pair.b.token()])
            let deadline = ContinuousClock.now + .seconds(60)
            let workersDone = SignalFlag()
            Task {
                await withTaskGroup(of: Void.self) { group in
                    for w in 0..<8 { group.addTask { await load.addWorker(w, count: 60, deadline: deadline) } }
                    for c in 0..<4 { group.addTask { await load.chatWorker(c, count: 25) } }
                }
                workersDone.set()
            }
            let eventsBefore = try LiveEventStream(port: pair.b.port, headers: ["Authorization": "Bearer \(load.tokens["B"]!)"])
            defer { eventsBefore.close() }

            let warm = await waitUntil(timeout: .seconds(30), interval: .milliseconds(20)) {
                let l = load.ledger.value
                return l.acked.count >= 20 && l.turns.count >= 2
            }
            #expect(warm, "no progress before the fault: \(load.ledger.value.acked.count) adds, \(load.ledger.value.turns.count) turns")

            var recoveries: [String] = []
            for mode in ["stop-immediate", "stop-fast"] {
                let before = load.ledger.value
                _ = try await pgCluster(mode, state: cluster.state)
                let down = ContinuousClock.now
                try await Task.sleep(for: .seconds(1))  // the deliberate outage
                let during = load.ledger.value
                _ = try await pgCluster("start", state: cluster.state)
                let up = ContinuousClock.now
                let recovered = await Self.waitUntilServing(pair, tokens: load.tokens)
                #expect(recovered != nil, "\(mode): the instances did not serve again within 30 s")
                let ackedAfter = load.ledger.value.acked.count
                let progressed = await waitUntil(timeout: .seconds(30), interval: .milliseconds(20)) {
                    load.ledger.value.acked.count >= ackedAfter + 10
                }
                #expect(progressed, "\(mode): the workers made no progress after the restart")
                recoveries.append("\(mode): down for \(up - down) (start took \(up - down - .seconds(1))), both serving \(recovered.map { "\($0)" } ?? "never") after start; "
                    + "failures during the pause \(Self.failures(during) - Self.failures(before))")
            }
            load.stopping.set()
            // Every request has its own bound (REST 30-40 s, adds retried until 60 s); the control client has none,
            // so a request the daemon never answers is reported here instead of hanging the test.
            let finished = await waitUntil(timeout: .seconds(40), interval: .milliseconds(20)) { workersDone.isSet }
            let hanging = load.ledger.value.inFlight.map { "\($0.key) for \($0.value.duration(to: .now))" }.sorted()
            #expect(finished, "requests still unanswered \(hanging.count): \(hanging)")

            let ledger = load.ledger.value
            print("fault: " + recoveries.joined(separator: "\nfault: "))
            print("fault: \(ledger.acked.count) adds acknowledged, \(ledger.gaveUp.count) gave up; \(ledger.turns.count) turns finished, "
                + "\(ledger.failedTurns.count) failed; clear failures \(ledger.clear.sorted { $0.key < $1.key }); slowest failure \(ledger.slowestFailure)")
            if !ledger.unexpected.isEmpty { print("fault: unexpected failures (\(ledger.unexpected.count)):\n  " + ledger.unexpected.prefix(20).joined(separator: "\n  ")) }
            for turn in ledger.failedTurns.prefix(5) { print("fault: failed turn \(turn.thread ?? "-"): \(turn.error.prefix(300))") }
            print("fault: events stream on B opened before the faults: \(eventsBefore.frames.count) frames, \(eventsBefore.ended.map { "ended: \($0)" } ?? "still open"); "
                + "non-task frames: \(eventsBefore.frames.filter { $0.event != "task" }.map { "\($0.event): \($0.data.prefix(120))" }.prefix(5))")

            #expect(ledger.unexpected.isEmpty, "failures that are not a clear store error: \(ledger.unexpected.prefix(10))")
            #expect(ledger.gaveUp.isEmpty, "adds never acknowledged: \(ledger.gaveUp)")
            // Each store call is bounded by 10 s (1 s once todod noticed the loss); a request makes one or two.
            #expect(ledger.slowestFailure <= .seconds(20), "a failure took \(ledger.slowestFailure): not fast (store calls are bounded by 10 s)")
            #expect(!ledger.clear.isEmpty, "no request met the outage (nothing was tested)")

            try await Self.verify(ledger, pair: pair, load: load)
        }
        }
    }

    /// The number of failures (clear and unexpected) in `ledger`.
    static func failures(_ ledger: FaultLedger) -> Int { ledger.clear.values.reduce(0, +) + ledger.unexpected.count }

    /// Waits (30 s) until both instances answer a REST list and a control list; how long that took.
    static func waitUntilServing(_ pair: PGPair, tokens: [String: String]) async -> Duration? {
        let started = ContinuousClock.now
        let ok = await waitUntil(timeout: .seconds(30), interval: .milliseconds(50)) {
            for instance in [pair.a, pair.b] {
                guard let r = try? await instance.rest("GET", "/api/tasks?limit=1", token: tokens[instance.name]!, timeout: 5), r.status == 200,
                      (try? await instance.control.call(ControlMethods.ListTasks.self, ListTasksParams(limit: 1))) != nil else { return false }
            }
            return true
        }
        return ok ? started.duration(to: .now) : nil
    }

    /// Every acknowledged add exactly once, every finished turn's thread and task there, both instances serve
    /// adds, chat turns and live events.
    static func verify(_ ledger: FaultLedger, pair: PGPair, load: FaultWorkload) async throws {
        let tasks = try await pair.b.allTasks()
        let titles = Dictionary(grouping: tasks, by: \.title)
        let adds = tasks.filter { $0.title.hasPrefix("add-") }
        #expect(Set(adds.map(\.title)).count == adds.count, "duplicate adds: \(titles.filter { $0.key.hasPrefix("add-") && $0.value.count > 1 }.keys.sorted())")
        let missing = ledger.acked.filter { _, ack in titles[ack.title]?.map(\.id.rawValue) != [ack.id] }
        #expect(missing.isEmpty, "acknowledged adds missing or changed: \(missing.prefix(10).map { "\($0.key) → \($0.value.id) \($0.value.title): \(titles[$0.value.title]?.map(\.id.rawValue) ?? [])" })")
        #expect(adds.count == ledger.acked.count, "\(adds.count) add- tasks stored, \(ledger.acked.count) acknowledged")

        for (index, turn) in ledger.turns.enumerated() {
            let other = index % 2 == 0 ? pair.a : pair.b
            let body = #"{"type":"items.list","params":{"thread_id":"\#(turn.thread)","order":"asc"}}"#
            let response = try await other.rest("POST", "/api/chatkit", token: load.tokens[other.name]!, body: body)
            let items = jsonObject(plainBody(response))?["data"] as? [[String: Any]] ?? []
            let types = items.compactMap { $0["type"] as? String }
            #expect(response.status == 200 && types.contains("user_message") && types.contains("assistant_message"),
                    "finished turn \(turn.thread) on \(other.name): \(response.status) \(types)")
            // The answer says whether add_task worked: a task when it did, none (nothing half-written) when the store
            // was unavailable for the tool call.
            let answer = items.filter { $0["type"] as? String == "assistant_message" }
                .flatMap { ($0["content"] as? [[String: Any]]) ?? [] }.compactMap { $0["text"] as? String }.joined()
            let expected = answer.hasPrefix("Not added") ? 0 : 1
            #expect(titles[turn.title]?.count ?? 0 == expected,
                    "the task of finished turn \(turn.title) (answer \(answer.prefix(80))): \(titles[turn.title]?.count ?? 0) stored, expected \(expected)")
        }

        // Both serve again, without a restart of their own: adds on both transports, a chat turn, live events both ways.
        let streams = [
            "A": try LiveEventStream(port: pair.a.port, headers: ["Authorization": "Bearer \(load.tokens["A"]!)"]),
            "B": try LiveEventStream(port: pair.b.port, headers: ["Authorization": "Bearer \(load.tokens["B"]!)"]),
        ]
        defer { streams.values.forEach { $0.close() } }
        #expect(await waitUntil(timeout: .seconds(10)) { streams.values.allSatisfy(\.isConnected) })
        for instance in [pair.a, pair.b] {
            let rest = try await instance.rest("POST", "/api/tasks", token: load.tokens[instance.name]!, body: #"{"title":"after on \#(instance.name)"}"#)
            #expect(rest.status == 201, "REST add on \(instance.name) after the faults: \(rest.status) \(rest.body)")
            _ = try await instance.control.call(ControlMethods.AddTask.self, AddTaskParams(title: "after via control on \(instance.name)"))
            if case .finished = await load.chatTurn("after-chat-\(instance.name)", on: instance) {} else {
                Issue.record("a chat turn on \(instance.name) after the faults did not finish")
            }
        }
        for (name, other) in [("B", "A"), ("A", "B")] {
            let stream = streams[name]!
            let seen = await waitUntil(timeout: .seconds(10)) {
                let titles = stream.frames.compactMap { ($0.json?["task"] as? [String: Any])?["title"] as? String }
                return titles.contains("after on \(other)") && titles.contains("after via control on \(other)")
            }
            #expect(seen, "\(name)'s event stream (opened after the faults) does not carry \(other)'s changes: \(stream.frames.count) frames")
        }
    }
}
