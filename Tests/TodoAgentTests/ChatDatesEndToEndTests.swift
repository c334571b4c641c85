import ChatKitProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Testing
import TodoAgent
import TodoAuth
import TodoCore
import TodoHTTP
import TodoStore
import TodoTesting
import TodoTools

// MARK: - Dates in words through ChatKit: the browser's zone, the parser, the tools, the store

@Suite("Chat with dates end to end (X-Time-Zone + scripted model + tools)")
struct ChatDatesEndToEndTests {
    /// 2026-12-02T03:00:00Z: Wednesday 2 December for the daemon (UTC), still Tuesday 1 December 22:00 in New York.
    static let now = Timestamp(millisecondsSinceEpoch: 1_796_180_400_000)
    static let zone = "America/New_York"

    /// The model: rent → add_task with a recurrence in words; "due this week" → list_tasks due=next_7_days;
    /// a tool result → a reply quoting it.
    static let script: ScriptedLLMServer.Script = { request, n in
        guard let last = request.messages.last else { return .status(400, body: ScriptedLLM.errorBody("no messages")) }
        let content = last["content"] as? String ?? ""
        if last["role"] as? String == "tool" { return .stream(ScriptedLLM.text(["OK: ", content])) }
        if content.contains("pay rent") {
            return .stream(ScriptedLLM.toolCalls([.init(id: "call_rent_\(n)", name: "add_task",
                                                        arguments: #"{"title":"Pay rent","recurrence":"every month on the 1st"}"#)]))
        }
        if content.contains("due this week") {
            return .stream(ScriptedLLM.toolCalls([.init(id: "call_week_\(n)", name: "list_tasks", arguments: #"{"due":"next_7_days"}"#)]))
        }
        return .stream(ScriptedLLM.text(["?"]))
    }

    @Test("\"pay rent on the 1st of every month\" from New York: due the user's next 1st, monthly; \"this week\" lists by due window")
    func rentAndThisWeek() async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let server = try await ScriptedLLMServer.start(script: Self.script)
        defer { Task { await server.stop() } }
        let recorder = RecordingRepository(f.store)
        let auth = try AuthService(secret: ChatKitEndToEndTests.secret, clock: SystemWallClock())
        var logger = Logger(label: "todo.test.http")
        logger.logLevel = .warning
        let responder = makeResponder(configuration: f.configuration(server), tasks: recorder, clock: f.clock, logger: f.logger)
        let deps = HTTPDependencies(tasks: f.store, threads: f.store, auth: auth, responder: responder, clock: f.clock, logger: logger)
        let app = Application(router: HTTPServer.makeRouter(configuration: HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0),
                                                            dependencies: deps))
        let token = try await auth.issueToken(for: f.alice, ttlSeconds: 600)
        // Other tasks: one inside the user's next 7 days, one after, one undated.
        _ = try await f.store.addTask(TaskDraft(title: "Dentist", due: .date(LocalDate(year: 2026, month: 12, day: 7)!)), for: f.alice, requestID: nil)
        _ = try await f.store.addTask(TaskDraft(title: "Taxes", due: .date(LocalDate(year: 2026, month: 12, day: 20)!)), for: f.alice, requestID: nil)
        _ = try await f.store.addTask(TaskDraft(title: "Someday"), for: f.alice, requestID: nil)

        try await app.test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)", .accept: "text/event-stream"]
            headers[HTTPField.Name("X-Time-Zone")!] = Self.zone
            let first = try await client.execute(uri: "/api/chatkit", method: .post, headers: headers,
                                                 body: ByteBuffer(string: ChatKitEndToEndTests.create("remind me to pay rent on the 1st of every month")))
            #expect(first.status == .ok)
            let events = ChatKitEndToEndTests.events(first)
            #expect(ChatKitEndToEndTests.workflowTitles(events) == ["Added task 'Pay rent'"])
            let thread = try #require((events.first?["thread"] as? [String: Any])?["id"] as? String)

            let rent = try #require(try await f.store.tasks(for: f.alice, filter: .all).first { $0.title == "Pay rent" })
            #expect(rent.due == .date(LocalDate(year: 2026, month: 12, day: 1)!), "the user's next 1st, not the daemon's (January 1st)")
            #expect(rent.recurrence?.rrule == "FREQ=MONTHLY;BYMONTHDAY=1")
            #expect(rent.timeZone == Self.zone)
            // The tool result the model saw names the absolute date and the rule in words.
            let toolResult = try #require(server.requests.last?.messages.last?["content"] as? String)
            #expect(toolResult.contains("Tuesday 1 December 2026"), "\(toolResult)")
            #expect(toolResult.contains("every month on the 1st"))
            // The system prompt carries the user's local date, weekday, time and zone.
            let system = try #require(server.requests.first?.messages.first?["content"] as? String)
            #expect(system.contains("Tuesday 1 December 2026"), "\(system)")
            #expect(system.contains("2026-12-01"))
            #expect(system.contains("22:00"))
            #expect(system.contains(Self.zone))

            let second = try await client.execute(uri: "/api/chatkit", method: .post, headers: headers,
                                                  body: ByteBuffer(string: ChatKitEndToEndTests.add(thread, "what's due this week?")))
            #expect(ChatKitEndToEndTests.workflowTitles(ChatKitEndToEndTests.events(second)) == ["Listed 2 tasks"])
        }
        // The list call reached the store as the due window, read in the user's zone and the daemon's clock.
        let seen = try #require(recorder.queries.last)
        #expect(seen.query.due == .next7Days)
        #expect(seen.context.zone.identifier == Self.zone)
        #expect(seen.context.now == Self.now)
        let listResult = try #require(server.requests.last?.messages.last?["content"] as? String)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(listResult.utf8)) as? [String: Any])
        #expect((listed["tasks"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Dentist", "Pay rent"], "created order")
        #expect(listed["today"] as? String == "2026-12-01")
        // Sanity: in the daemon's zone (UTC) the same words would have meant January 1st.
        let utc = try DatePhrase.parseRecurrence("every month on the 1st", in: .utc(Self.now))
        #expect(utc.1 == .date(LocalDate(year: 2027, month: 1, day: 1)!))
    }

    @Test("An unknown X-Time-Zone on a chat request is a 422 naming time_zone; nothing reaches the model")
    func badZone() async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let server = try await ScriptedLLMServer.start(script: Self.script)
        defer { Task { await server.stop() } }
        let rig = try ChatKitEndToEndTests.Rig(f, server)
        let token = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)"]
            headers[HTTPField.Name("X-Time-Zone")!] = "Mars/Olympus_Mons"
            let reply = try await client.execute(uri: "/api/chatkit", method: .post, headers: headers,
                                                 body: ByteBuffer(string: ChatKitEndToEndTests.create("pay rent")))
            #expect(reply.status == .unprocessableContent)
            #expect(String(buffer: reply.body).contains("time_zone"))
        }
        #expect(server.requests.isEmpty)
    }
}
