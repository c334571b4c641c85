import ChatKitProtocol
import MCP
import Testing
@testable import TodoAgent

// MARK: - Each server's stream shape through the SSE decoder and the accumulator, in pieces of every size

@Suite("Stream parser: the shapes of Ollama, llama.cpp, vLLM, LM Studio and DeepSeek/Qwen")
struct ServerShapeParserTests {
    /// What a fixture must parse to, whatever the piece size.
    struct Expected: Sendable, CustomTestStringConvertible {
        var name: String
        var calls: [ToolCallRequest] = []
        var text = ""
        var reasoning = ""
        var finish: String?
        var done = true
        var usage: Int?
        var testDescription: String { name }
    }

    static func call(_ id: String, _ name: String, _ arguments: String) -> ToolCallRequest {
        ToolCallRequest(id: id, name: name, arguments: arguments)
    }

    static let expectations: [Expected] = [
        Expected(name: "ollama-parallel-index0", calls: [
            call("call_8vxh2kqa", "add_task", #"{"title":"Buy milk"}"#),
            call("call_q3m0t1zr", "add_task", #"{"title":"Call the bank","priority":1}"#),
        ], finish: "stop"),
        Expected(name: "ollama-index0-no-ids", calls: [
            call("call_0", "add_task", #"{"title":"Water plants"}"#), call("call_1", "list_tasks", "{}"),
        ], finish: "tool_calls", done: false),
        Expected(name: "ollama-tool-call-finish-stop", calls: [call("call_stop0001", "add_task", #"{"title":"Send invoice"}"#)], finish: "stop"),
        Expected(name: "llamacpp-no-id-fragments", calls: [call("call_0", "add_task", #"{"title":"Renew passport","due":"next friday"}"#)],
                 finish: "tool_calls", usage: 812),
        Expected(name: "llamacpp-arguments-object", calls: [call("call_0", "add_task", #"{"title":"Book dentist","priority":2}"#)],
                 finish: "tool_calls"),
        Expected(name: "vllm-reasoning-content-two-calls", calls: [
            call("chatcmpl-tool-5c1a", "add_task", #"{"title": "Groceries"}"#), call("chatcmpl-tool-9d7e", "add_task", #"{"title": "Laundry"}"#),
        ], reasoning: "The user wants two tasks: groceries and laundry.", finish: "tool_calls"),
        Expected(name: "lmstudio-empty-ids", calls: [
            call("call_0", "list_tasks", #"{"status":"pending"}"#), call("call_1", "add_task", #"{"title":"Pay rent"}"#),
        ], finish: "tool_calls"),
        Expected(name: "deepseek-reasoning-content", text: "Hello! How can I help?", reasoning: "Nothing to do with tools; just greet.",
                 finish: "stop", usage: 20),
        Expected(name: "qwen-reasoning-no-finish", text: "You have nothing due today.", reasoning: "Count the tasks? No, answer."),
        Expected(name: "mixed-reasoning-index0-no-ids", calls: [
            call("call_0", "add_task", #"{"title":"Pack bags"}"#), call("call_1", "add_task", #"{"title":"Book taxi"}"#),
        ], reasoning: "Two tasks to add.", finish: "stop"),
    ]

    @Test("Every fixture has an expectation")
    func everyFixtureIsChecked() {
        #expect(StreamFixtures.names == Self.expectations.map(\.name).sorted())
    }

    @Test("Calls, text and reasoning come out whole and apart, fed in pieces of 1…64, 97, 256, 1000 bytes and at once",
          arguments: expectations)
    func shape(_ expected: Expected) throws {
        for step in StreamFixtures.steps {
            let (events, acc) = try StreamFixtures.parse(expected.name, step: step)
            #expect(acc.toolCalls == expected.calls, "\(expected.name) in pieces of \(step)")
            #expect(acc.text == expected.text, "\(expected.name) in pieces of \(step)")
            #expect(acc.reasoning == expected.reasoning, "\(expected.name) in pieces of \(step)")
            #expect(acc.finishReason == expected.finish)
            #expect(acc.sawDone == expected.done)
            #expect(acc.isComplete)
            // The forwarded deltas add up to the same text and reasoning, and never mix.
            let texts = events.compactMap { if case .textDelta(let t) = $0 { t } else { nil } }
            let thoughts = events.compactMap { if case .reasoningDelta(let t) = $0 { t } else { nil } }
            #expect(texts.joined() == expected.text)
            #expect(thoughts.joined() == expected.reasoning)
            #expect(!texts.contains { expected.reasoning.isEmpty == false && expected.reasoning.contains($0) })
            let usage = events.compactMap { if case .usage(let prompt, _) = $0 { prompt } else { nil } }
            #expect(usage == (expected.usage.map { [$0] } ?? []))
            // Every call's arguments are one JSON object.
            for call in acc.toolCalls { #expect((try? JSONValue.parse(call.arguments))?.objectValue != nil, "\(call.arguments)") }
        }
    }

    @Test("A new id with a name under the same index starts a call; an id that changes on a bare fragment does not")
    func idRules() throws {
        var acc = ChatStreamAccumulator()
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"add_task","arguments":"{\"title\":"}}]}}]}"#)
        // A server that mints an id per chunk: same call.
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a2","function":{"arguments":"\"x\"}"}}]}}]}"#)
        // A different id with a name: the next call, even though it reuses index 0.
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"b","function":{"name":"list_tasks","arguments":""}}]}}]}"#)
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}"#)
        #expect(acc.toolCalls == [Self.call("a", "add_task", #"{"title":"x"}"#), Self.call("b", "list_tasks", "{}")])
    }

    @Test("Deltas without an index, a name in pieces, a reused id and a call with no arguments")
    func oddDeltas() throws {
        var acc = ChatStreamAccumulator()
        _ = try acc.consume(#"{"choices":[{"delta":{"tool_calls":[{"id":"x","function":{"name":"add_","arguments":""}}]}}]}"#)
        _ = try acc.consume(#"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"task","arguments":"{\"title\":\"A\"}"}}]}}]}"#)
        _ = try acc.consume(#"{"choices":[{"delta":{"tool_calls":[{"id":"x","function":{"name":"list_tasks"}}]}}]}"#)
        _ = try acc.consume(#"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":null}}]}}],"usage":null}"#)
        let calls = acc.toolCalls
        #expect(calls.map(\.name) == ["add_task", "list_tasks"])
        #expect(calls.map(\.arguments) == [#"{"title":"A"}"#, "{}"])
        #expect(Set(calls.map(\.id)).count == 2, "ids stay unique: \(calls.map(\.id))")
        // Arguments of another type are a malformed stream, not a crash.
        #expect(throws: TodoAgentError.self) {
            try acc.consume(#"{"choices":[{"delta":{"tool_calls":[{"index":3,"function":{"name":"x","arguments":5}}]}}]}"#)
        }
    }

    @Test("parallel_tool_calls is sent only when configured, and only with tools")
    func parallelToolCallsField() throws {
        let tools = [ToolDefinition(name: "list_tasks", description: "d", parameters: ["type": "object"])]
        let messages = [ChatMessage(role: .user, content: "hi")]
        #expect(try JSONValue.parse(ChatRequest(model: "m", messages: messages, tools: tools).wireBytes())["parallel_tool_calls"] == nil)
        #expect(try JSONValue.parse(ChatRequest(model: "m", messages: messages, tools: tools, parallelToolCalls: false).wireBytes())["parallel_tool_calls"] == false)
        #expect(try JSONValue.parse(ChatRequest(model: "m", messages: messages, tools: [], parallelToolCalls: true).wireBytes())["parallel_tool_calls"] == nil)
    }
}
