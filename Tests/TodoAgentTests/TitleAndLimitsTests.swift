import ChatKitProtocol
import Foundation
import Testing
@testable import TodoAgent
import TodoCore
import TodoTesting

// MARK: - Titles written by the model, servers without tools, the context window

@Suite("Agent titles, tool support and the context window")
struct TitleAndLimitsTests {
    static func sequence(_ replies: [ScriptedLLMServer.Reply]) -> ScriptedLLMServer.Script {
        { _, n in replies[min(n, replies.count - 1)] }
    }

    @Test("The title call's prompt is the one the scripted servers recognise")
    func promptInStep() {
        #expect(AgentTitles.instruction.hasPrefix(ScriptedLLMServer.titlePromptPrefix))
    }

    @Test("A new thread's title comes from one short model call: no tools, the message and the reply, cleaned to six words")
    func modelTitle() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(
            titles: { _ in .stream(ScriptedLLM.text(["Title: \"Wochenplan für ", "Einkäufe und Putzen am Samstag früh\"."])) },
            script: Self.sequence([.stream(ScriptedLLM.text(["Gern, hier ist dein Plan."]))]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "Plane meine Woche bitte", isNew: true)
        #expect(events.last == .title("Wochenplan für Einkäufe und Putzen am"))
        #expect(server.requests.count == 1, "the turn's own call")
        let title = try #require(server.titleRequests.first)
        #expect(server.titleRequests.count == 1)
        #expect(title.json?["tools"] == nil)
        #expect(title.firstUserText == "Plane meine Woche bitte")
        #expect(title.messages.contains { $0["role"] as? String == "assistant" && $0["content"] as? String == "Gern, hier ist dein Plan." })
    }

    @Test("A failing title call is not retried and keeps the first words; an empty answer does too", arguments: [
        ScriptedLLMServer.Reply.status(500, body: ScriptedLLM.errorBody("down")),
        .stream(ScriptedLLM.text(["  \n "])),
        .stream(ScriptedLLM.toolCalls([.init(id: "x", name: "list_tasks", arguments: "{}")])),
    ])
    func titleFallback(_ reply: ScriptedLLMServer.Reply) async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(titles: { _ in reply }, script: Self.sequence([.stream(ScriptedLLM.text(["Hi."]))]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "Hello there, what can you do for me today?", isNew: true)
        #expect(events == [.textDelta("Hi."), .replyFinished, .title("Hello there, what can you do for me")], "the first eight words")
        #expect(server.titleRequests.count == 1)
    }

    @Test("Titles off, an old thread, or a failed turn: no title call")
    func noTitleCall() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([.stream(ScriptedLLM.text(["Hi."]))]))
        defer { Task { await server.stop() } }
        var config = f.configuration(server)
        config.modelTitles = false
        let off = makeResponder(configuration: config, tasks: f.store, clock: f.clock, logger: f.logger)
        #expect(try await f.turn(off, "Plan my week", isNew: true).last == .title("Plan my week"))
        _ = try await f.turn(f.responder(server), "Plan my week", isNew: false)
        #expect(server.titleRequests.isEmpty)

        let failing = try await ScriptedLLMServer.start(script: { _, _ in .status(401, body: ScriptedLLM.errorBody("bad key")) })
        defer { Task { await failing.stop() } }
        let events = try await f.turn(f.responder(failing), "Plan my week", isNew: true)
        #expect(events.error != nil)
        #expect(failing.titleRequests.isEmpty)
    }

    @Test("Cleaning a model's title", arguments: [
        ("Grocery list for the weekend", "Grocery list for the weekend"),
        ("**Title:** \"Plan the week\".", "Plan the week"),
        ("<think>The user wants…\nshort</think>\n\n« Courses du samedi »", "Courses du samedi"),
        ("一周的购物计划。", "一周的购物计划"),
        ("one two three four five six seven eight", "one two three four five six"),
    ])
    func cleaning(_ raw: String, _ expected: String) {
        #expect(AgentTitles.clean(raw) == expected)
    }

    @Test("Nothing usable in a title answer is nil")
    func cleaningNothing() {
        #expect(AgentTitles.clean("\"\" .") == nil)
        #expect(AgentTitles.clean("") == nil)
        #expect((AgentTitles.clean(String(repeating: "x", count: 200)) ?? "").count == AgentTitles.maxCharacters)
    }

    @Test("A server without tool support (HTTP 400 naming tools, llama.cpp without --jinja): one request, one clear error", arguments: [
        (400, #"{"error":{"message":"registry.ollama.ai/library/gemma3:4b does not support tools","type":"api_error","param":null,"code":null}}"#),
        (400, #"{"object":"error","message":"\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","param":null,"code":400}"#),
        (500, #"{"error":{"code":500,"message":"tools param requires --jinja flag","type":"server_error"}}"#),
    ])
    func toolsUnsupported(_ status: Int, _ body: String) async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: { _, _ in .status(status, body: body) })
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "add milk", isNew: true)
        #expect(server.requests.count == 1, "not retried")
        #expect(server.titleRequests.isEmpty)
        let error = try #require(events.error)
        #expect(!error.allowRetry)
        #expect(error.message.contains("'scripted-model'"))
        #expect(error.message.contains("TODOD_LLM_MODEL"))
        #expect(error.message.contains("--jinja"))
        #expect(events.count == 1, "only the error: \(events)")
    }

    @Test("Other 400s stay plain rejections")
    func otherRejections() {
        #expect(TodoAgentError.http(status: 400, body: #"{"error":{"message":"messages[2].tool_call_id is invalid"}}"#).kind == .rejected)
        #expect(TodoAgentError.http(status: 400, body: #"{"error":{"message":"parallel_tool_calls is not supported"}}"#).kind == .rejected)
        #expect(TodoAgentError.http(status: 404, body: "model not found").kind == .rejected)
        #expect(TodoAgentError.http(status: 503, body: "tools are warming up").kind == .unavailable)
    }

    @Test("Settings from the environment: context window, parallel_tool_calls, titles")
    func environment() {
        let config = LLMConfiguration.fromEnvironment(["TODOD_LLM_CONTEXT_WINDOW": "8192", "TODOD_LLM_PARALLEL_TOOL_CALLS": "false", "TODOD_LLM_TITLES": "off"])
        #expect(config.contextWindowTokens == 8192)
        #expect(config.parallelToolCalls == false)
        #expect(!config.modelTitles)
        let defaults = LLMConfiguration.fromEnvironment(["TODOD_LLM_CONTEXT_WINDOW": "12", "TODOD_LLM_PARALLEL_TOOL_CALLS": "maybe"])
        #expect(defaults.contextWindowTokens == LLMConfiguration.defaultContextWindow)
        #expect(defaults.parallelToolCalls == nil)
        #expect(defaults.modelTitles)
    }

    @Test("parallel_tool_calls reaches the model when set")
    func parallelSent() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([.stream(ScriptedLLM.text(["ok"]))]))
        defer { Task { await server.stop() } }
        var config = f.configuration(server)
        config.parallelToolCalls = false
        _ = try await f.turn(makeResponder(configuration: config, tasks: f.store, clock: f.clock, logger: f.logger), "hi")
        _ = try await f.turn(f.responder(server), "hi")
        #expect(server.requests.map { $0.json?["parallel_tool_calls"] as? Bool } == [false, nil])
    }

    @Test("History is fitted into the context window in estimated tokens, newest kept, CJK counted per character")
    func historyBudget() async throws {
        #expect(TokenEstimate.of("abcd") == 1)
        #expect(TokenEstimate.of("abcde") == 2)
        #expect(TokenEstimate.of("日本語") == 3)
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([.stream(ScriptedLLM.text(["ok"]))]))
        defer { Task { await server.stop() } }
        // 40 old exchanges of ~250 tokens each: far more than a 4096-token window leaves for history.
        let history: [ConversationEntry] = (0..<40).flatMap { i -> [ConversationEntry] in
            [.user("question \(i) " + String(repeating: "word ", count: 200)), .assistant("answer \(i)")]
        }
        for window in [4096, 16_384] {
            var config = f.configuration(server)
            config.contextWindowTokens = window
            _ = try await f.turn(makeResponder(configuration: config, tasks: f.store, clock: f.clock, logger: f.logger), "now", history: history)
        }
        let sent = server.requests.map { request in
            request.messages.compactMap { $0["content"] as? String }.filter { $0.hasPrefix("question ") }
        }
        let small = try #require(sent.first), large = try #require(sent.last)
        #expect(!small.isEmpty && small.count < large.count, "\(small.count) vs \(large.count) old questions")
        #expect(small.last?.hasPrefix("question 39 ") == true, "the newest history is kept")
        let bytes = (try #require(server.requests.first)).body.utf8.count
        #expect(bytes / 4 < 4096, "the request fits the window: ~\(bytes / 4) tokens")
    }
}
