import ChatKitProtocol
import MCP
import Testing
@testable import TodoAgent

// MARK: - SSE + chunk parsing, no I/O

@Suite("Stream parser")
struct StreamParserTests {
    /// Runs the decoder and accumulator over `text` delivered in pieces of `step` bytes.
    private func parse(_ text: String, step: Int) throws -> (events: [LLMStreamEvent], acc: ChatStreamAccumulator) {
        var sse = SSEDecoder()
        var acc = ChatStreamAccumulator()
        var events: [LLMStreamEvent] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            for data in try sse.feed(bytes[i..<min(i + step, bytes.count)]) { events += try acc.consume(data) }
            i += step
        }
        if let tail = sse.finish() { events += try acc.consume(tail) }
        return (events, acc)
    }

    @Test("OpenAI fragments merge by index, usage chunk without choices, [DONE]", arguments: [1, 2, 7, 64, 100_000])
    func openAIFragmented(step: Int) throws {
        let (events, acc) = try parse(RealStreams.openAIFragmented, step: step)
        #expect(acc.toolCalls == [ToolCallRequest(id: "call_4XzlGBLtUe9dy3GVNV4jhq7h", name: "get_weather", arguments: #"{"city":"New York City"}"#)])
        #expect(acc.finishReason == "tool_calls")
        #expect(acc.sawDone)
        #expect(acc.text.isEmpty)
        #expect(events == [.usage(promptTokens: 44, completionTokens: 16)])
    }

    @Test("Ollama: whole call in one delta, repeated role, no [DONE]", arguments: [1, 3, 100_000])
    func ollamaSingleChunk(step: Int) throws {
        let (events, acc) = try parse(RealStreams.ollamaSingleChunk, step: step)
        #expect(acc.toolCalls == [ToolCallRequest(id: "call_lbcjwr0u", name: "run_command", arguments: #"{"command":"ls -a"}"#)])
        #expect(acc.isComplete)
        #expect(!acc.sawDone)
        #expect(events.isEmpty)
    }

    @Test("CRLF framing, multi-line data, comments and a final event without a blank line")
    func sseFraming() throws {
        var sse = SSEDecoder()
        var out = try sse.feed(Array(": keep-alive\r\ndata: a\r\ndata: b\r\n\r\nevent: x\ndata:c".utf8))
        #expect(out == ["a\nb"])
        out = try sse.feed(Array("d".utf8))
        #expect(out.isEmpty)
        #expect(sse.finish() == "cd")
    }

    @Test("Text deltas stream one by one; null and empty content are ignored")
    func textDeltas() throws {
        var acc = ChatStreamAccumulator()
        #expect(try acc.consume(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#).isEmpty)
        #expect(try acc.consume(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#).isEmpty)
        #expect(try acc.consume(#"{"choices":[{"index":0,"delta":{"content":"Hel"}}]}"#) == [.textDelta("Hel")])
        #expect(try acc.consume(#"{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}"#) == [.textDelta("lo")])
        #expect(acc.text == "Hello")
        #expect(acc.isComplete)
    }

    @Test("Parallel calls interleaved by index keep their order and arguments")
    func parallelInterleaved() throws {
        var acc = ChatStreamAccumulator()
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"list_tasks","arguments":"{\"sta"}}]}}]}"#)
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"add_task","arguments":"{\"title\""}}]}}]}"#)
        _ = try acc.consume(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"tus\":\"all\"}"}},{"index":0,"function":{"arguments":":\"x\"}"}}]}}]}"#)
        #expect(acc.toolCalls.map(\.id) == ["a", "b"])
        #expect(acc.toolCalls.map(\.arguments) == [#"{"title":"x"}"#, #"{"status":"all"}"#])
        #expect(!acc.isComplete)
    }

    @Test("Garbage chunks and mid-stream provider errors are protocol violations")
    func garbage() throws {
        var acc = ChatStreamAccumulator()
        #expect(throws: TodoAgentError.self) { try acc.consume("{not json") }
        #expect(throws: TodoAgentError.self) { try acc.consume(#"{"error":{"message":"overloaded"}}"#) }
        // Fields of the wrong type are violations too (as they were for the Decodable chunk); null is absent.
        #expect(throws: TodoAgentError.self) { try acc.consume(#"{"choices":"x"}"#) }
        #expect(throws: TodoAgentError.self) { try acc.consume(#"{"choices":[{"delta":{"content":5}}]}"#) }
        #expect(throws: TodoAgentError.self) { try acc.consume(#"[1]"#) }
        #expect(try acc.consume(#"  {"choices":null,"usage":null}"#).isEmpty)
        #expect(try acc.consume("\t[DONE] ").isEmpty)
        #expect(acc.sawDone)
    }

    @Test("A request body has stream, include_usage, tools and tool messages")
    func requestBody() throws {
        let request = ChatRequest(model: "m", messages: [
            ChatMessage(role: .user, content: "hi"),
            ChatMessage(role: .assistant, content: nil, toolCalls: [ToolCallRequest(id: "c1", name: "list_tasks", arguments: "{}")]),
            ChatMessage(role: .tool, content: "[]", toolCallID: "c1"),
        ], tools: [ToolDefinition(name: "list_tasks", description: "d", parameters: ["type": "object"])])
        let body = try JSONValue.parse(request.wireBytes())
        #expect(body["model"] == "m")
        #expect(body["stream"] == true)
        #expect(body["stream_options"]?["include_usage"] == true)
        #expect(body["tools"]?.arrayValue?.first?["function"]?["name"] == "list_tasks")
        #expect(body["tools"]?.arrayValue?.first?["function"]?["parameters"] == .obj(["type": "object"]))
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages[1]["tool_calls"]?.arrayValue?.count == 1)
        #expect(messages[1]["content"] == .null)
        #expect(messages[2]["tool_call_id"] == "c1")
    }
}
