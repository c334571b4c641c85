import ChatKitProtocol
import Foundation
import Testing
import TodoAgent
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Each server's shape through the agent: the right tasks in the store and the right workflow items

@Suite("Agent responder: the shapes of Ollama, llama.cpp, vLLM, LM Studio and DeepSeek/Qwen")
struct ServerShapeAgentTests {
    /// A turn whose first model response is the fixture and whose later responses answer with `reply`.
    static func run(_ fixture: String, reply: String = "Done.", message: String = "please") async throws
        -> (f: AgentFixture, events: [ResponderEvent], items: [JSONValue], server: ScriptedLLMServer) {
        let f = try await AgentFixture.make()
        let payloads = try StreamFixtures.payloads(fixture)
        let server = try await ScriptedLLMServer.start { _, n in
            n == 0 ? .stream(payloads, done: false) : .stream(ScriptedLLM.text([reply]))
        }
        let events = try await f.turn(f.responder(server), message)
        await server.stop()
        return (f, events, Self.items(events), server)
    }

    /// The items a ChatKit thread would keep for `events` (through the real `TurnTranslator`).
    static func items(_ events: [ResponderEvent]) -> [JSONValue] {
        var translator = TurnTranslator(threadID: "thr_test") { prefix in "\(prefix)_\(UUID().uuidString.prefix(8))" }
        var outputs: [TurnOutput] = []
        let now = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)
        for event in events { outputs += translator.apply(event, now: now) }
        outputs += translator.finish()
        return outputs.compactMap { if case .event(let e) = $0, e["type"]?.stringValue == "thread.item.done" { e["item"] } else { nil } }
    }

    /// `workflow[type:title,…]` or `message:text` per item.
    static func outline(_ items: [JSONValue]) -> [String] {
        items.map { item in
            if let tasks = item["workflow"]?["tasks"]?.arrayValue {
                return "workflow[" + tasks.map { "\($0["type"]?.stringValue ?? "?"):\($0["title"]?.stringValue ?? "")" }.joined(separator: ",") + "]"
            }
            if item["type"] == "widget" { return "widget" }
            return "message:" + (item["content"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined() ?? "")
        }
    }

    func titles(_ f: AgentFixture) async throws -> [String] {
        try await f.store.tasks(for: f.alice, filter: .all).map(\.title).sorted()
    }

    @Test("Ollama: two parallel calls, both at index 0, with ids, and finish_reason stop")
    func ollamaParallelIndex0() async throws {
        let (f, events, items, server) = try await Self.run("ollama-parallel-index0")
        #expect(try await titles(f) == ["Buy milk", "Call the bank"])
        #expect(Self.outline(items) == ["workflow[custom:Added task 'Buy milk',custom:Added task 'Call the bank']", "message:Done."])
        #expect(events.error == nil)
        let answered = server.requests.last?.messages.filter { $0["role"] as? String == "tool" }.compactMap { $0["tool_call_id"] as? String }
        #expect(answered == ["call_8vxh2kqa", "call_q3m0t1zr"])
    }

    @Test("Ollama: calls at index 0 without ids and no [DONE]: both run, with made-up distinct ids")
    func ollamaNoIDs() async throws {
        let (f, events, items, server) = try await Self.run("ollama-index0-no-ids")
        #expect(try await titles(f) == ["Water plants"])
        // The two calls run in parallel: list_tasks may run before add_task has stored its task (and only a list
        // that found one carries the task-list widget).
        let outline = Self.outline(items)
        #expect(outline == ["workflow[custom:Added task 'Water plants',custom:Listed 1 task]", "widget", "message:Done."]
            || outline == ["workflow[custom:Added task 'Water plants',custom:Listed 0 tasks]", "message:Done."], "\(outline)")
        #expect(events.error == nil)
        let ids = server.requests.last?.messages.filter { $0["role"] as? String == "tool" }.compactMap { $0["tool_call_id"] as? String } ?? []
        #expect(ids.count == 2 && Set(ids).count == 2)
    }

    @Test("Ollama: a tool call with finish_reason stop is still run")
    func finishStop() async throws {
        let (f, _, items, _) = try await Self.run("ollama-tool-call-finish-stop")
        #expect(try await titles(f) == ["Send invoice"])
        #expect(Self.outline(items) == ["workflow[custom:Added task 'Send invoice']", "message:Done."])
    }

    @Test("llama.cpp: no id, arguments in three-byte fragments")
    func llamaFragments() async throws {
        let (f, _, items, _) = try await Self.run("llamacpp-no-id-fragments")
        let tasks = try await f.store.tasks(for: f.alice, filter: .all)
        #expect(tasks.map(\.title) == ["Renew passport"])
        #expect(tasks.first?.due != nil, "the due date in words was resolved")
        #expect(Self.outline(items) == ["workflow[custom:Added task 'Renew passport']", "message:Done."])
    }

    @Test("llama.cpp: arguments as a JSON object")
    func llamaObjectArguments() async throws {
        let (f, _, items, _) = try await Self.run("llamacpp-arguments-object")
        let tasks = try await f.store.tasks(for: f.alice, filter: .all)
        #expect(tasks.map(\.title) == ["Book dentist"])
        #expect(tasks.first?.priority == 2)
        #expect(Self.outline(items) == ["workflow[custom:Added task 'Book dentist']", "message:Done."])
    }

    @Test("vLLM: reasoning_content, then two calls: one workflow with the thought first, the reasoning not in the text")
    func vllmReasoningAndCalls() async throws {
        let (f, events, items, _) = try await Self.run("vllm-reasoning-content-two-calls")
        #expect(try await titles(f) == ["Groceries", "Laundry"])
        #expect(Self.outline(items) == ["workflow[thought:Thought,custom:Added task 'Groceries',custom:Added task 'Laundry']", "message:Done."])
        #expect(items.first?["workflow"]?["tasks"]?.arrayValue?.first?["content"] == "The user wants two tasks: groceries and laundry.")
        #expect(items.first?["workflow"]?["expanded"] == false)
        #expect(events.text == "Done.")
    }

    @Test("LM Studio: empty ids, the name repeated on every fragment, CRLF framing")
    func lmStudio() async throws {
        let (f, _, items, _) = try await Self.run("lmstudio-empty-ids")
        #expect(try await titles(f) == ["Pay rent"])
        // The two calls run in parallel: list_tasks may finish before or after add_task has stored its task
        // (and only a list that found one carries the task-list widget).
        let outline = Self.outline(items)
        #expect(outline == ["workflow[custom:Listing pending tasks,custom:Added task 'Pay rent']", "message:Done."]
            || outline == ["workflow[custom:Listed 0 tasks,custom:Added task 'Pay rent']", "message:Done."]
            || outline == ["workflow[custom:Listed 1 task,custom:Added task 'Pay rent']", "widget", "message:Done."], "\(outline)")
    }

    @Test("DeepSeek: reasoning_content then the answer: a collapsed thought, then only the answer as text")
    func deepSeek() async throws {
        let (f, events, items, server) = try await Self.run("deepseek-reasoning-content")
        #expect(try await titles(f).isEmpty)
        #expect(events.text == "Hello! How can I help?")
        #expect(Self.outline(items) == ["workflow[thought:Thought]", "message:Hello! How can I help?"])
        #expect(items.first?["workflow"]?["summary"]?["title"] == "Thought")
        #expect(server.requests.count == 1)
    }

    @Test("Qwen via vLLM/Ollama: `reasoning`, no finish_reason before [DONE]")
    func qwenNoFinish() async throws {
        let (_, events, items, _) = try await Self.run("qwen-reasoning-no-finish")
        #expect(events.error == nil)
        #expect(events.text == "You have nothing due today.")
        #expect(Self.outline(items) == ["workflow[thought:Thought]", "message:You have nothing due today."])
    }

    @Test("The mixed case: reasoning, two parallel calls at index 0 without ids, then text")
    func mixed() async throws {
        let (f, events, items, server) = try await Self.run("mixed-reasoning-index0-no-ids", reply: "Added both.")
        #expect(try await titles(f) == ["Book taxi", "Pack bags"])
        #expect(Self.outline(items) == ["workflow[thought:Thought,custom:Added task 'Pack bags',custom:Added task 'Book taxi']", "message:Added both."])
        #expect(events.text == "Added both.")
        #expect(!events.text.contains("Two tasks"))
        // The reasoning never goes back to the model as assistant text.
        let assistant = server.requests.last?.messages.filter { $0["role"] as? String == "assistant" } ?? []
        #expect(assistant.allSatisfy { ($0["content"] as? String)?.contains("Two tasks") != true })
        #expect(assistant.first.flatMap { $0["tool_calls"] as? [Any] }?.count == 2)
    }
}
