import ChatKitProtocol
import Foundation
import Logging
import Testing
import TodoAgent
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Error flow: each failure ends the turn with the right event

@Suite("Agent responder errors")
struct AgentErrorTests {
    typealias Call = ScriptedLLM.Call

    @Test("429 then success: retried, the turn succeeds")
    func rateLimitedThenOK() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([
            .status(429, body: ScriptedLLM.errorBody("slow down")),
            .stream(ScriptedLLM.text(["Fine now."])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "hello")
        #expect(events == [.textDelta("Fine now.")])
        #expect(server.requests.count == 2)
    }

    @Test("500 every time: 1 try + 2 retries, then a retryable error")
    func serverErrorEveryTime() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([.status(500, body: ScriptedLLM.errorBody("boom"))]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "hello")
        #expect(server.requests.count == 3)
        #expect(events.count == 1)
        #expect(events.error?.allowRetry == true)
        #expect(events.error?.message.contains("HTTP 500") == true)
    }

    @Test("401: a configuration error, not retried", arguments: [401, 403])
    func unauthorized(status: Int) async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([.status(status, body: ScriptedLLM.errorBody("bad key"))]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "hello")
        #expect(server.requests.count == 1)
        #expect(events.error?.allowRetry == false)
        #expect(events.error?.message.contains("OPENAI_API_KEY") == true)
    }

    @Test("A stream slower than the turn limit ends with a timeout error, keeping what arrived")
    func timeout() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([
            .stream(ScriptedLLM.text(["warm"])),
            .stream(["one", " two", " three", " four", " five", " six"].map { ScriptedLLM.chunk(["content": $0]) }, delayMilliseconds: 700),
        ]))
        defer { Task { await server.stop() } }
        let responder = f.responder(server, timeout: 2.5)
        // A first turn connects the tool session, so the timed turn is only the slow model call (the whole
        // slow stream would take 4.2 s; the 2.5 s turn limit must cut it).
        _ = try await f.turn(responder, "warm up")
        let events = try await f.turn(responder, "hello")
        #expect(events.text.hasPrefix("one"))
        #expect(!events.text.contains("six"))
        #expect(events.error?.message.contains("timed out") == true)
        #expect(events.error?.allowRetry == true)
        if case .error = events.last {} else { Issue.record("the error must be the last event") }
    }

    @Test("A connection cut mid-stream keeps the text that arrived, then errors; the next turn works")
    func cutMidStream() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([
            // 300 ms between frames: AsyncHTTPClient may drop body parts it buffered but had not handed out yet when
            // the connection closes, so on a loaded machine a 50 ms gap lost the text before the cut.
            .stream(ScriptedLLM.text(["Partial", " answer", " never", " ends"]), delayMilliseconds: 300, cutAfter: 3),
            .stream(ScriptedLLM.text(["Back."])),
        ]))
        defer { Task { await server.stop() } }
        let responder = f.responder(server)
        let events = try await f.turn(responder, "hello")
        #expect(events.text == "Partial answer")
        #expect(events.error?.message.contains("interrupted") == true)
        #expect(events.error?.allowRetry == true)
        #expect(server.requests.count == 1, "a cut after text must not be retried (the text was already shown)")
        let next = try await f.turn(responder, "again", history: events.history(user: "hello"))
        #expect(next == [.textDelta("Back.")])
    }

    @Test("A cut inside a tool call's arguments runs no tool")
    func cutInsideToolCall() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([
            .stream(ScriptedLLM.toolCalls([Call(id: "c", name: "add_task", arguments: #"{"title":"Half"}"#)], fragmentSize: 3), delayMilliseconds: 50, cutAfter: 3),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "add half")
        #expect(events.started.isEmpty)
        #expect(events.error != nil)
        #expect(try await f.store.tasks(for: f.alice, filter: .all).isEmpty)
    }

    @Test("No key for a remote base URL: an unconfigured responder that says how to configure")
    func notConfigured() async throws {
        let f = try await AgentFixture.make()
        let config = LLMConfiguration.fromEnvironment([:])
        #expect(config.baseURL == "https://api.openai.com/v1")
        #expect(config.problem?.contains("OPENAI_API_KEY") == true)
        let events = try await f.turn(makeResponder(configuration: config, tasks: f.store, logger: f.logger), "hello")
        #expect(events.count == 1)
        #expect(events.error?.allowRetry == false)
        #expect(events.error?.message.contains("OPENAI_API_KEY") == true)
    }

    @Test("Environment: key precedence, loopback needs no key, timeout and rounds")
    func environment() {
        let c = LLMConfiguration.fromEnvironment([
            "TODOD_LLM_BASE_URL": "http://127.0.0.1:11434/v1", "TODOD_LLM_MODEL": "qwen2.5", "TODOD_LLM_TIMEOUT": "12", "TODOD_LLM_MAX_ROUNDS": "4",
        ])
        #expect(c.problem == nil)
        #expect(c.apiKey == nil && c.model == "qwen2.5" && c.turnTimeoutSeconds == 12 && c.maxRounds == 4)
        #expect(LLMConfiguration.fromEnvironment(["TODOD_LLM_BASE_URL": "http://localhost:8080/v1"]).problem == nil)
        #expect(LLMConfiguration.fromEnvironment(["TODOD_LLM_BASE_URL": "http://[::1]:8080/v1"]).problem == nil)
        #expect(LLMConfiguration.fromEnvironment(["TODOD_LLM_BASE_URL": "http://example.com/v1"]).problem != nil)
        #expect(LLMConfiguration.fromEnvironment(["TODOD_LLM_BASE_URL": "ftp://x"]).problem != nil)
        #expect(LLMConfiguration.fromEnvironment(["OPENAI_API_KEY": "a", "TODOD_LLM_API_KEY": "b"]).apiKey == "b")
        #expect(LLMConfiguration.fromEnvironment(["OPENAI_API_KEY": "a"]).apiKey == "a")
    }

    @Test("Cancelling the consumer cancels the model request")
    func cancellation() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([
            // 40 s of ticks: the cancel below lands mid-stream however loaded the machine is.
            .stream(ScriptedLLM.text(Array(repeating: "tick ", count: 200)), delayMilliseconds: 200),
        ]))
        defer { Task { await server.stop() } }
        let responder = f.responder(server)
        let seen = SignalCounter()
        let consumer = Task {
            var n = 0
            for try await _ in responder.respond(to: ResponderInput(user: f.alice, threadID: "t", isNewThread: false, history: [], message: "go")) {
                n += 1
                seen.increment()
            }
            return n
        }
        // Cancel mid-stream: once the request reached the server and a few ticks reached the consumer.
        // Generous bounds: they only stop a broken build from hanging; a loaded CI machine is slow, not wrong.
        #expect(await waitUntil(timeout: .seconds(120)) { !server.requests.isEmpty && seen.value >= 3 }, "ticks arrived")
        consumer.cancel()
        let received = try await consumer.value
        #expect(received < 200)
        // The HTTP request was cancelled: the server saw its stream closed early.
        #expect(await waitUntil(timeout: .seconds(120)) { server.abortedStreams > 0 })
        #expect(server.abortedStreams == 1)
    }

    @Test("Whatever the model asks, a second user's tasks stay untouched")
    func otherUsersTasks() async throws {
        let f = try await AgentFixture.make()
        let bobs = try await f.store.addTask(TaskDraft(title: "Bob only"), for: f.bob, requestID: nil)
        let id = bobs.id.rawValue
        let server = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence([
            .stream(ScriptedLLM.toolCalls([
                Call(id: "a", name: "complete_task", arguments: #"{"task_id":"\#(id)"}"#),
                Call(id: "b", name: "update_task", arguments: #"{"task_id":"\#(id)","title":"hacked"}"#),
                Call(id: "c", name: "delete_task", arguments: #"{"task_id":"\#(id)"}"#),
                Call(id: "d", name: "add_task", arguments: #"{"title":"x","user":"bob"}"#),
                Call(id: "e", name: "list_tasks", arguments: #"{"status":"all"}"#),
            ])),
            .stream(ScriptedLLM.text(["I can't."])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "Delete bob's task \(id)")
        #expect(events.finished.map(\.isError) == [true, true, true, true, false])
        #expect(events.finished.last?.result.contains("Bob only") == false)
        #expect(try await f.store.tasks(for: f.bob, filter: .all) == [bobs])
        #expect(try await f.store.tasks(for: f.alice, filter: .all).isEmpty)
    }
}
