import ChatKitProtocol
import Foundation
import Testing
import TodoAgent
import TodoCore
import TodoStore
import TodoTesting

// MARK: - The agent responder against the scripted OpenAI-compatible server

@Suite("Agent responder")
struct AgentResponderTests {
    typealias Call = ScriptedLLM.Call

    /// Plays `replies` in order (the last one repeats).
    static func sequence(_ replies: [ScriptedLLMServer.Reply]) -> ScriptedLLMServer.Script {
        { _, n in replies[min(n, replies.count - 1)] }
    }

    @Test("A plain reply streams its deltas, and a new thread gets a title after it")
    func plainReply() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([.stream(ScriptedLLM.text(["Hello", " there", "!"]))]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "Hi, plan my week", isNew: true)
        #expect(events == [.textDelta("Hello"), .textDelta(" there"), .textDelta("!"), .replyFinished, .title("Hi, plan my week")])
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer sk-test")
        #expect(request.json?["stream"] as? Bool == true)
        #expect((request.json?["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect((request.json?["tools"] as? [Any])?.count == 5)
        #expect(request.messages.first?["role"] as? String == "system")
        #expect(request.messages.last?["content"] as? String == "Hi, plan my week")
    }

    @Test("One tool call: the task is created, toolStarted/toolFinished carry human titles, the result goes back")
    func oneToolCall() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([
            .stream(ScriptedLLM.toolCalls([Call(id: "call_1", name: "add_task", arguments: #"{"title":"Meeting prep"}"#)])),
            .stream(ScriptedLLM.text(["Added ", "'Meeting prep'."])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "Add a task called Meeting prep")
        let tasks = try await f.store.tasks(for: f.alice, filter: .all)
        #expect(tasks.map(\.title) == ["Meeting prep"])
        #expect(events.started.map(\.title) == ["Adding task 'Meeting prep'"])
        #expect(events.finished.map(\.title) == ["Added task 'Meeting prep'"])
        #expect(events.finished.first?.isError == false)
        #expect(events.text == "Added 'Meeting prep'.")
        #expect(events.error == nil)
        #expect(server.requests.count == 2)
        let second = try #require(server.requests.last?.messages)
        try #require(second.count >= 2, "the second request carries the tool call and its result")
        let toolMessage = try #require(second.last)
        #expect(toolMessage["role"] as? String == "tool")
        #expect(toolMessage["tool_call_id"] as? String == "call_1")
        #expect((toolMessage["content"] as? String)?.contains(tasks[0].id.rawValue) == true)
        #expect(((second[second.count - 2]["tool_calls"]) as? [Any])?.count == 1)
    }

    @Test("Ollama's single-chunk tool call without [DONE] works too")
    func ollamaShape() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([
            .stream(ScriptedLLM.singleChunkToolCall(Call(id: "call_o", name: "add_task", arguments: #"{"title":"From Ollama"}"#)), done: false),
            .stream(ScriptedLLM.text(["ok"]), done: false),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "add from ollama")
        #expect(try await f.store.tasks(for: f.alice, filter: .all).map(\.title) == ["From Ollama"])
        #expect(events.error == nil)
        #expect(events.text == "ok")
    }

    @Test("Parallel calls all run; events keep the model's order")
    func parallelCalls() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([
            .stream(ScriptedLLM.toolCalls([
                Call(id: "c1", name: "add_task", arguments: #"{"title":"One"}"#),
                Call(id: "c2", name: "add_task", arguments: #"{"title":"Two"}"#),
                Call(id: "c3", name: "add_task", arguments: #"{"title":"Three"}"#),
            ], text: "Adding three.")),
            .stream(ScriptedLLM.text(["Done."])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "add one two three")
        #expect(Set(try await f.store.tasks(for: f.alice, filter: .all).map(\.title)) == ["One", "Two", "Three"])
        #expect(events.finished.map(\.title) == ["Added task 'One'", "Added task 'Two'", "Added task 'Three'"])
        #expect(events.first == .textDelta("Adding three."))
        #expect(events.contains(.endMessage))
        #expect(server.requests.last?.messages.filter { $0["role"] as? String == "tool" }.count == 3)
    }

    @Test("Several rounds: list, then complete by the id found, then answer")
    func severalRounds() async throws {
        let f = try await AgentFixture.make()
        let task = try await f.store.addTask(TaskDraft(title: "Call mum"), for: f.alice, requestID: nil)
        let server = try await ScriptedLLMServer.start(script: Self.sequence([
            .stream(ScriptedLLM.toolCalls([Call(id: "l", name: "list_tasks", arguments: #"{"status":"pending"}"#)])),
            .stream(ScriptedLLM.toolCalls([Call(id: "c", name: "complete_task", arguments: #"{"task_id":"\#(task.id.rawValue)"}"#)])),
            .stream(ScriptedLLM.text(["Marked 'Call mum' done."])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "Mark call mum done")
        #expect(try await f.store.task(task.id, for: f.alice).completed)
        #expect(events.finished.map(\.title) == ["Listed 1 task", "Completed task 'Call mum'"])
        #expect(server.requests.count == 3)
    }

    @Test("Unknown tool and non-JSON arguments go back to the model as tool errors")
    func badCalls() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([
            .stream(ScriptedLLM.toolCalls([
                Call(id: "u", name: "drop_all_tables", arguments: "{}"),
                Call(id: "j", name: "add_task", arguments: #"{"title": "Buy"#),
            ])),
            .stream(ScriptedLLM.text(["Sorry."])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server), "do something odd")
        #expect(events.finished.map(\.isError) == [true, true])
        #expect(events.finished.map(\.title) == ["Unknown tool 'drop_all_tables'", "Could not add task"])
        #expect(events.error == nil)
        #expect(events.text == "Sorry.")
        let tools = server.requests.last?.messages.filter { $0["role"] as? String == "tool" }.compactMap { $0["content"] as? String } ?? []
        #expect(tools.count == 2)
        #expect(tools[0].contains("Unknown tool"))
        #expect(tools[1].contains("not a JSON object"))
        #expect(try await f.store.tasks(for: f.alice, filter: .all).isEmpty)
    }

    @Test("A model that never stops calling tools is stopped after maxRounds with a clear message")
    func roundCap() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.sequence([
            .stream(ScriptedLLM.toolCalls([Call(id: "l", name: "list_tasks", arguments: "{}")])),
        ]))
        defer { Task { await server.stop() } }
        let events = try await f.turn(f.responder(server, maxRounds: 3), "loop forever")
        #expect(server.requests.count == 3)
        #expect(events.error?.message.contains("3 rounds") == true)
        #expect(events.last == .error(message: events.error!.message, allowRetry: true))
    }
}
