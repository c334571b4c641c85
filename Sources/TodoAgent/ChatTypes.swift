public import MCP
import ChatKitProtocol

// MARK: - Conversation values

/// One message of a chat-completions conversation.
public struct ChatMessage: Sendable, Hashable {
    /// The speaker.
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant, tool
    }

    /// The speaker.
    public var role: Role
    /// The text (nil for an assistant message that only calls tools).
    public var content: String?
    /// Tool calls an assistant message made.
    public var toolCalls: [ToolCallRequest]
    /// For `tool` messages: the call this answers.
    public var toolCallID: String?

    /// - Parameters:
    ///   - role: the speaker.
    ///   - content: the text.
    ///   - toolCalls: the assistant's tool calls.
    ///   - toolCallID: the answered call, for tool messages.
    public init(role: Role, content: String?, toolCalls: [ToolCallRequest] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    /// Estimated size in tokens, for the history budget (`TokenEstimate`; 4 per message for the framing).
    var estimatedTokens: Int {
        TokenEstimate.of(content ?? "") + toolCalls.reduce(0) { $0 + TokenEstimate.of($1.name) + TokenEstimate.of($1.arguments) + 8 } + 4
    }
}

/// A complete tool call from the model: arguments are raw JSON text (maybe not valid JSON).
public struct ToolCallRequest: Sendable, Hashable {
    /// The call id (generated when the model sent none).
    public var id: String
    /// The tool name.
    public var name: String
    /// The arguments as the model wrote them.
    public var arguments: String

    /// - Parameters:
    ///   - id: the call id.
    ///   - name: the tool name.
    ///   - arguments: the raw arguments text.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A function the model may call.
public struct ToolDefinition: Sendable, Hashable {
    /// The function name.
    public var name: String { didSet { refresh() } }
    /// What it does.
    public var description: String { didSet { refresh() } }
    /// The JSON Schema of its arguments.
    public var parameters: Value {
        didSet {
            wireParameters = JSONValue(mcp: parameters)
            refresh()
        }
    }
    /// `parameters` as JSON, converted once (the tool list is sent with every model call).
    private(set) var wireParameters: JSONValue
    /// The estimated tokens this definition costs in every request (computed once).
    private(set) var estimatedTokens: Int
    /// `wireValue` as compact JSON, encoded once (every model call sends the same tools).
    private(set) var wireBytes: [UInt8] = []

    /// - Parameters:
    ///   - name: the function name.
    ///   - description: what it does.
    ///   - parameters: the JSON Schema.
    public init(name: String, description: String, parameters: Value) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.wireParameters = JSONValue(mcp: parameters)
        self.estimatedTokens = 0
        refresh()
    }

    /// Recomputes what is derived from the name, description and parameters.
    private mutating func refresh() {
        estimatedTokens = Self.estimate(name: name, description: description, parameters: wireParameters)
        var bytes: [UInt8] = []
        wireValue.write(to: &bytes)
        wireBytes = bytes
    }

    private static func estimate(name: String, description: String, parameters: JSONValue) -> Int {
        TokenEstimate.of(name) + TokenEstimate.of(description) + TokenEstimate.of(parameters.text) + 8
    }
}

/// One streaming chat-completions request.
public struct ChatRequest: Sendable, Hashable {
    /// The model name.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// The callable tools.
    public var tools: [ToolDefinition]
    /// `parallel_tool_calls`, sent only when set (and only with tools): some servers reject the field.
    public var parallelToolCalls: Bool?

    /// - Parameters:
    ///   - model: the model name.
    ///   - messages: the conversation.
    ///   - tools: the callable tools.
    ///   - parallelToolCalls: `parallel_tool_calls`, or nil to leave it to the server.
    public init(model: String, messages: [ChatMessage], tools: [ToolDefinition], parallelToolCalls: Bool? = nil) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.parallelToolCalls = parallelToolCalls
    }
}

/// What a streaming model call produces, in order.
public enum LLMStreamEvent: Sendable, Hashable {
    /// A piece of assistant text, as it arrived.
    case textDelta(String)
    /// The complete tool calls of this response (once, at the end, ordered by index).
    case toolCalls([ToolCallRequest])
    /// Token usage, when the provider reports it.
    case usage(promptTokens: Int, completionTokens: Int)
    /// The model finished (the reason as sent, for example `stop` or `tool_calls`).
    case finished(reason: String?)
    /// A piece of the model's reasoning (`reasoning_content` / `reasoning`): never part of the answer text.
    case reasoningDelta(String)
}

// MARK: - Wire encoding

extension ChatRequest {
    /// The JSON body: `stream: true`, `stream_options.include_usage`, `tools`.
    func wireBody() -> JSONValue {
        .obj([
            "model": .string(model),
            "stream": true,
            "stream_options": .obj(["include_usage": true]),
            "messages": .array(messages.map(\.wireValue)),
            "tools": tools.isEmpty ? nil : .array(tools.map(\.wireValue)),
            "parallel_tool_calls": tools.isEmpty ? nil : parallelToolCalls.map(JSONValue.bool),
        ])
    }

    /// The compact JSON bytes of `wireBody()` (ChatKitProtocol's one JSON writer; no Foundation coder).
    /// `wireBody()` as compact JSON: the same bytes, with each tool's definition copied from its encoding
    /// (`ToolDefinition.wireBytes`) instead of encoded again on every model call.
    func wireBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096 + tools.reduce(0) { $0 + $1.wireBytes.count + 1 })
        JSONValue.obj([
            "model": .string(model),
            "stream": true,
            "stream_options": .obj(["include_usage": true]),
            "messages": .array(messages.map(\.wireValue)),
        ]).write(to: &out)
        guard !tools.isEmpty else { return out }
        out.removeLast()  // the closing brace: the tools follow as the object's last members
        out.append(contentsOf: #","tools":["#.utf8)
        for (i, tool) in tools.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: tool.wireBytes)
        }
        out.append(UInt8(ascii: "]"))
        if let parallel = parallelToolCalls { out.append(contentsOf: (parallel ? #","parallel_tool_calls":true"# : #","parallel_tool_calls":false"#).utf8) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}

extension ChatMessage {
    var wireValue: JSONValue {
        let calls: JSONValue? = toolCalls.isEmpty ? nil : .array(toolCalls.map { call in
            .obj(["id": .string(call.id), "type": "function",
                  "function": .obj(["name": .string(call.name), "arguments": .string(call.arguments)])])
        })
        return .obj([
            "role": .string(role.rawValue),
            "content": content.map(JSONValue.string) ?? (toolCalls.isEmpty ? .string("") : .null),
            "tool_calls": calls,
            "tool_call_id": toolCallID.map(JSONValue.string),
        ])
    }
}

extension ToolDefinition {
    /// `{"type":"function","function":{name, description, parameters}}`.
    var wireValue: JSONValue {
        .obj(["type": "function", "function": .obj([
            "name": .string(name), "description": .string(description), "parameters": wireParameters,
        ])])
    }
}

extension JSONValue {
    /// The JSON form of an MCP value (object keys sorted, so the body is the same on every call;
    /// data as its data URL, like MCP's own encoder; a non-finite double as null).
    /// - Parameter value: the MCP value.
    init(mcp value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = d.isFinite ? .number(d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : .null
        case .string(let s): self = .string(s)
        case .data: self = .string(value.description)
        case .array(let a): self = .array(a.map(JSONValue.init(mcp:)))
        case .object(let o): self = .object(o.sorted { $0.key < $1.key }.map { ($0.key, JSONValue(mcp: $0.value)) })
        }
    }
}
