import ChatKitProtocol
import Foundation
import MCP
import Testing
import TodoCore
@testable import TodoAgent

// MARK: - ChatRequest.wireBytes: pre-encoded tools, the same bytes as encoding the whole body

@Suite("Chat request wire bytes")
struct ChatRequestWireTests {
    private static let schema: Value = .object([
        "type": .string("object"),
        "properties": .object(["title": .object(["type": .string("string"), "description": .string("The \"title\"\n")])]),
        "required": .array([.string("title")]),
    ])

    private static let messages = [
        ChatMessage(role: .system, content: "Rules \u{2014} be brief."),
        ChatMessage(role: .user, content: "add \"milk\""),
        ChatMessage(role: .assistant, content: nil, toolCalls: [ToolCallRequest(id: "call_1", name: "add_task", arguments: #"{"title":"milk"}"#)]),
        ChatMessage(role: .tool, content: "Added.", toolCallID: "call_1"),
    ]

    @Test("With and without tools, with each parallel_tool_calls setting", arguments: [nil, true, false] as [Bool?])
    func sameBytes(parallel: Bool?) throws {
        let tools = [
            ToolDefinition(name: "add_task", description: "Adds a task.", parameters: Self.schema),
            ToolDefinition(name: "list_tasks", description: "Lists tasks.", parameters: .object([:])),
        ]
        for tools in [tools, []] {
            let request = ChatRequest(model: "m", messages: Self.messages, tools: tools, parallelToolCalls: parallel)
            var expected: [UInt8] = []
            request.wireBody().write(to: &expected)
            #expect(request.wireBytes() == expected)
            #expect(try JSONValue.parse(request.wireBytes()) == request.wireBody())
        }
    }

    @Test("A definition changed after it was made sends its new name, description and schema")
    func changedDefinition() throws {
        var tool = ToolDefinition(name: "a", description: "first", parameters: .object([:]))
        tool.name = "b"
        tool.description = "second"
        tool.parameters = Self.schema
        let body = try JSONValue.parse(ChatRequest(model: "m", messages: [], tools: [tool]).wireBytes())
        let function = body["tools"]?.arrayValue?.first?["function"]
        #expect(function?["name"] == "b")
        #expect(function?["description"] == "second")
        #expect(function?["parameters"] == JSONValue(mcp: Self.schema))
    }

    @Test("The system prompt's estimate from the rules' counts taken once equals the estimate of the whole prompt")
    func systemPromptEstimate() throws {
        for zone in ["UTC", "Asia/Tokyo", "America/New_York"] {
            let context = DateContext(now: Timestamp(millisecondsSinceEpoch: 1_767_225_600_000 + 9 * 3_600_000 + 5 * 60_000), zone: try #require(TimeZone(identifier: zone)))
            let whole = AgentPrompt.system(context)
            #expect(TokenEstimate.tokens(AgentPrompt.rulesCounts + TokenEstimate.counts(AgentPrompt.now(context))) == TokenEstimate.of(whole))
            #expect(whole.hasPrefix(AgentPrompt.rules))
        }
    }
}
