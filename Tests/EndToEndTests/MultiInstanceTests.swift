import Foundation
import Synchronization
import Testing
import TodoControl
import TodoCore
import TodoTesting

// MARK: - Two todod processes on one PostgreSQL database

/// Two real `todod` processes (own data directory, control socket and HTTP port each) on one fresh database.
@Suite("Two todod instances on one PostgreSQL database", .serialized, .timeLimit(.minutes(3)), .enabled(if: postgresEndToEndEnabled))
struct MultiInstanceTests {
    /// Adds `title` with `requestID` through `instance`: control socket or REST; the task id.
    static func add(_ title: String, requestID: String, via instance: PGInstance, rest token: String?) async throws -> String {
        if let token {
            let body = #"{"title":"\#(title)","request_id":"\#(requestID)"}"#
            let response = try await instance.rest("POST", "/api/tasks", token: token, body: body)
            guard response.status == 200 || response.status == 201, let id = jsonObject(response.body)?["id"] as? String else {
                throw TestingError("REST add on \(instance.name): \(response.status) \(response.body)")
            }
            return id
        }
        let task = try await instance.control.call(ControlMethods.AddTask.self, AddTaskParams(title: title, requestID: requestID))
        return task.id.rawValue
    }

    @Test("2×100 concurrent adds through both instances, a third retried on the other one: each task exactly once")
    func concurrentAddsWithRetriesOnTheOtherInstance() async throws {
        try await PGPair.with { pair in
            let tokens = (a: try await pair.a.token(), b: try await pair.b.token())
            let total = 200
            let next = Locked(0)
            let mismatches = Locked<[String]>([])
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        while true {
                            let i = next.update { $0 += 1; return $0 - 1 }
                            guard i < total else { return }
                            let (first, other) = i % 2 == 0 ? (pair.a, pair.b) : (pair.b, pair.a)
                            let firstToken = i % 4 < 2 ? (first.name == "A" ? tokens.a : tokens.b) : nil
                            let otherToken = i % 4 < 2 ? nil : (other.name == "A" ? tokens.a : tokens.b)
                            let title = "task \(i)", rid = "req-\(i)"
                            switch i % 6 {
                            case 0:  // retried afterwards on the other instance (other transport)
                                let id = try await Self.add(title, requestID: rid, via: first, rest: firstToken)
                                let again = try await Self.add(title, requestID: rid, via: other, rest: otherToken)
                                if id != again { mismatches.update { $0.append("\(rid): \(id) then \(again)") } }
                            case 3:  // the original and the retry race on both instances
                                async let one = Self.add(title, requestID: rid, via: first, rest: firstToken)
                                async let two = Self.add(title, requestID: rid, via: other, rest: otherToken)
                                let (x, y) = try await (one, two)
                                if x != y { mismatches.update { $0.append("\(rid): raced \(x) and \(y)") } }
                            default:
                                _ = try await Self.add(title, requestID: rid, via: first, rest: firstToken)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            print("multi: \(total) adds (+\((0..<total).filter { $0 % 3 == 0 }.count) retries) through two instances, 16 concurrent: \(elapsed)")
            #expect(mismatches.value.isEmpty, "a retry with the same request id answered another task: \(mismatches.value)")

            let onA = try await pair.a.allTasks(), onB = try await pair.b.allTasks()
            let titles = onA.map(\.title)
            #expect(titles.count == total, "\(titles.count) tasks, expected \(total)")
            #expect(Set(titles) == Set((0..<total).map { "task \($0)" }), "nothing lost")
            #expect(Set(onA.map(\.id)).count == onA.count, "no duplicate ids")
            #expect(onA.map(\.id.rawValue).sorted() == onB.map(\.id.rawValue).sorted(), "the same list on both instances")
            let rest = try await pair.b.rest("GET", "/api/tasks?status=all", token: tokens.a)
            let restCount = ((try? JSONSerialization.jsonObject(with: Data(plainBody(rest).utf8))) as? [Any])?.count
            #expect(rest.status == 200 && restCount == total, "REST list on B with A's token: \(rest.status) \(String(describing: restCount))")
        }
    }

    @Test("A change through A reaches B's /api/events and control subscription within a bound; latencies printed")
    func liveUpdatesCrossInstances() async throws {
        try await PGPair.with { pair in
            let token = try await pair.b.token()
            let sse = try LiveEventStream(port: pair.b.port, headers: ["Authorization": "Bearer \(token)"])
            defer { sse.close() }
            let watched = Locked<[Seen]>([])
            let watcher = Task {
                try await pair.b.control.withConnection { connection in
                    try await connection.subscribe { change in
                        watched.update { $0.append(Seen(change: change, at: .now)) }
                        return !Task.isCancelled
                    }
                }
            }
            defer { watcher.cancel() }
            #expect(await waitUntil(timeout: .seconds(15)) { sse.isConnected }, "SSE on B did not connect: \(sse.ended ?? "")")

            // Warm-up: add on A until both of B's streams saw something (the subscription is in place).
            var warmups = 0
            let ready = await waitUntil(timeout: .seconds(20), interval: .milliseconds(200)) {
                warmups += 1
                _ = try? await pair.a.control.call(ControlMethods.AddTask.self, AddTaskParams(title: "warm-up \(warmups)"))
                return !sse.frames.isEmpty && !watched.value.isEmpty
            }
            try #require(ready, "B's streams saw nothing from A: sse \(sse.frames.count) frames (\(sse.ended ?? "open")), watch \(watched.value.count)")

            var sseLatencies: [Duration] = [], watchLatencies: [Duration] = []
            for round in 0..<5 {
                let title = "live \(round)"
                let beforeAdd = ContinuousClock.now
                let created = try await pair.a.control.call(ControlMethods.AddTask.self, AddTaskParams(title: title))
                try await Self.expectSeen(created.id, kind: "created", since: beforeAdd, sse: sse, watched: watched,
                                          into: &sseLatencies, &watchLatencies)
                let beforeComplete = ContinuousClock.now
                _ = try await pair.a.control.call(ControlMethods.CompleteTask.self, CompleteTaskParams(id: created.id))
                try await Self.expectSeen(created.id, kind: "updated", since: beforeComplete, sse: sse, watched: watched,
                                          into: &sseLatencies, &watchLatencies, completed: true)
                let beforeDelete = ContinuousClock.now
                _ = try await pair.a.control.call(ControlMethods.DeleteTask.self, TaskIDParams(id: created.id))
                try await Self.expectSeen(created.id, kind: "deleted", since: beforeDelete, sse: sse, watched: watched,
                                          into: &sseLatencies, &watchLatencies)
            }
            func summary(_ values: [Duration]) -> String {
                let ms = values.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
                guard !ms.isEmpty else { return "none" }
                return String(format: "n=%d median %.1f ms, max %.1f ms", ms.count, ms[ms.count / 2], ms.last!)
            }
            print("multi: A→B latency /api/events: \(summary(sseLatencies)); control watch: \(summary(watchLatencies))")
            // The issue's bound is 1 s: the median must meet it; single changes get 5 s for a loaded CI machine.
            let all = (sseLatencies + watchLatencies).sorted()
            #expect(all.count == 30 && all[all.count / 2] <= .seconds(1), "median A→B latency over 1 s: \(summary(all))")
            #expect(all.allSatisfy { $0 <= .seconds(5) }, "a change took over 5 s to reach B: \(summary(all))")
            let withinASecond = (sseLatencies + watchLatencies).filter { $0 <= .seconds(1) }.count
            print("multi: \(withinASecond) of \(sseLatencies.count + watchLatencies.count) changes arrived within 1 s")
        }
    }

    @Test("A bearer token and a browser session issued by A work on B (secret shared through the database); sign-out on A ends it on B")
    func sessionsCrossInstances() async throws {
        try await PGPair.with(ownSecret: true) { pair in
            let tokenA = try await pair.a.token(), tokenB = try await pair.b.token()
            let bWithA = try await pair.b.rest("GET", "/api/session", token: tokenA)
            #expect(bWithA.status == 200, "A's bearer token on B: \(bWithA.status) \(bWithA.body)")
            #expect(bWithA.body.contains(#""via":"bearer""#))
            let aWithB = try await pair.a.rest("GET", "/api/session", token: tokenB)
            #expect(aWithB.status == 200, "B's bearer token on A: \(aWithB.status) \(aWithB.body)")

            // Browser sign-in on A: one-time code from A's control socket, redeemed at A.
            let login = try await pair.a.control.call(ControlMethods.LoginCode.self, EmptyParams())
            let signIn = try await loopbackHTTP("POST", port: pair.a.port, path: "/api/session",
                                                headers: ["Content-Type": "application/json"], body: #"{"code":"\#(login.code)"}"#)
            #expect(signIn.status == 200, "sign-in on A: \(signIn.body)")
            let cookie = String(try #require(signIn.header("set-cookie")).split(separator: ";")[0])
            func whoAmI(_ instance: PGInstance) async throws -> LoopbackHTTPResponse {
                try await loopbackHTTP("GET", port: instance.port, path: "/api/session", headers: ["Cookie": cookie])
            }
            let onB = try await whoAmI(pair.b)
            #expect(onB.status == 200 && onB.body.contains(#""via":"cookie""#), "A's session cookie on B: \(onB.status) \(onB.body)")
            let created = try await loopbackHTTP(
                "POST", port: pair.b.port, path: "/api/tasks",
                headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(pair.b.port)", "Content-Type": "application/json"],
                body: #"{"title":"made on B with A's cookie"}"#)
            #expect(created.status == 201, "add on B with A's cookie: \(created.status) \(created.body)")
            #expect(try await pair.a.allTasks().map(\.title) == ["made on B with A's cookie"])

            let logout = try await loopbackHTTP(
                "POST", port: pair.a.port, path: "/api/session/logout", headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(pair.a.port)"])
            #expect(logout.status == 200, "sign-out on A: \(logout.body)")
            #expect(try await whoAmI(pair.a).status == 401)
            let afterOnB = try await whoAmI(pair.b)
            #expect(afterOnB.status == 401, "B still accepts the cookie after sign-out on A: \(afterOnB.status) \(afterOnB.body)")
            let tasksOnB = try await loopbackHTTP("GET", port: pair.b.port, path: "/api/tasks", headers: ["Cookie": cookie])
            #expect(tasksOnB.status == 401)

            // The login code was single use: redeeming it again on B is refused.
            let again = try await loopbackHTTP("POST", port: pair.b.port, path: "/api/session",
                                               headers: ["Content-Type": "application/json"], body: #"{"code":"\#(login.code)"}"#)
            #expect(again.status == 401, "a used login code on B: \(again.status) \(again.body)")
        }
    }

    /// A change the control subscription delivered, and when.
    struct Seen: Sendable {
        var change: TaskChange
        var at: ContinuousClock.Instant
    }

    /// Waits (at most 10 s) until both streams carry `kind` for `id`; appends the latency since `since` (taken just
    /// before the call on A, so it is an upper bound).
    static func expectSeen(
        _ id: TaskID, kind: String, since: ContinuousClock.Instant, sse: LiveEventStream,
        watched: Locked<[Seen]>,
        into sseLatencies: inout [Duration], _ watchLatencies: inout [Duration], completed: Bool? = nil
    ) async throws {
        func sseMatch() -> LiveEventStream.Frame? {
            sse.frames.first { frame in
                guard let json = frame.json, json["kind"] as? String == kind, let task = json["task"] as? [String: Any],
                      task["id"] as? String == id.rawValue else { return false }
                return completed.map { task["completed"] as? Bool == $0 } ?? true
            }
        }
        func watchMatch() -> ContinuousClock.Instant? {
            watched.value.first { seen in
                seen.change.task.id == id && seen.change.kind.rawValue == kind && (completed.map { seen.change.task.completed == $0 } ?? true)
            }?.at
        }
        let seen = await waitUntil(timeout: .seconds(10), interval: .milliseconds(2)) { sseMatch() != nil && watchMatch() != nil }
        #expect(seen, "\(kind) of \(id) not seen on B: sse \(sseMatch() != nil) (\(sse.ended ?? "open")), watch \(watchMatch() != nil)")
        if let frame = sseMatch() { sseLatencies.append(max(.zero, since.duration(to: frame.at))) }
        if let at = watchMatch() { watchLatencies.append(max(.zero, since.duration(to: at))) }
    }
}
