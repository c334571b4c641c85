import ChatKitProtocol

// MARK: - Wire shapes of one stream chunk

// Read from ChatKitProtocol's JSONValue (no Foundation decoder per chunk), with the rules a
// `Decodable` of optionals had: an absent or null field is nil, a field of the wrong type is an error.

struct ChunkShapeError: Error {}

/// One `chat.completion.chunk` payload.
struct Chunk {
    var choices: [Choice] = []
    var usage: (promptTokens: Int?, completionTokens: Int?)?
    var errorMessage: String?

    init(_ json: JSONValue) throws {
        guard case .object = json else { throw ChunkShapeError() }
        choices = try Self.array(json["choices"]).map(Choice.init)
        if let usage = try Self.object(json["usage"]) {
            self.usage = (try Self.int(usage["prompt_tokens"]), try Self.int(usage["completion_tokens"]))
        }
        if let error = try Self.object(json["error"]) { errorMessage = try Self.string(error["message"]) }
    }

    static func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }
    static func object(_ value: JSONValue?) throws -> JSONValue? {
        guard let value = present(value) else { return nil }
        guard case .object = value else { throw ChunkShapeError() }
        return value
    }
    static func array(_ value: JSONValue?) throws -> [JSONValue] {
        guard let value = present(value) else { return [] }
        guard let array = value.arrayValue else { throw ChunkShapeError() }
        return array
    }
    static func string(_ value: JSONValue?) throws -> String? {
        guard let value = present(value) else { return nil }
        guard let string = value.stringValue else { throw ChunkShapeError() }
        return string
    }
    static func int(_ value: JSONValue?) throws -> Int? {
        guard let value = present(value) else { return nil }
        guard let int = value.intValue else { throw ChunkShapeError() }
        return int
    }
}

/// One choice of a chunk: its delta's text, reasoning and tool calls, and the finish reason.
struct Choice {
    var index: Int?
    var content: String?
    /// `reasoning_content` (DeepSeek, Qwen, vLLM before 0.9) or `reasoning` (vLLM, Ollama, LM Studio, OpenRouter).
    var reasoning: String?
    var toolCalls: [CallDelta] = []
    var finishReason: String?

    init(_ json: JSONValue) throws {
        guard case .object = json else { throw ChunkShapeError() }
        index = try Chunk.int(json["index"])
        finishReason = try Chunk.string(json["finish_reason"])
        if let delta = try Chunk.object(json["delta"]) {
            content = try Chunk.string(delta["content"])
            // Reasoning is optional decoration: a field of another shape is ignored rather than failing the turn.
            if let text = delta["reasoning_content"]?.stringValue, !text.isEmpty {
                reasoning = text
            } else if let text = delta["reasoning"]?.stringValue, !text.isEmpty {
                reasoning = text
            }
            toolCalls = try Chunk.array(delta["tool_calls"]).map(CallDelta.init)
        }
    }
}

/// One tool-call delta.
struct CallDelta {
    /// Arguments as a string fragment (OpenAI's form) or a whole JSON object (llama.cpp, Ollama's native form),
    /// the latter as compact JSON text.
    enum Arguments { case fragment(String), object(String) }

    var index: Int?
    var id: String?
    var name: String?
    var arguments: Arguments?

    init(_ json: JSONValue) throws {
        guard case .object = json else { throw ChunkShapeError() }
        index = try Chunk.int(json["index"])
        id = try Chunk.string(json["id"])
        if let function = try Chunk.object(json["function"]) {
            name = try Chunk.string(function["name"])
            switch Chunk.present(function["arguments"]) {
            case nil: arguments = nil
            case .string(let text)?: arguments = .fragment(text)
            case let value? where value.objectValue != nil || value.arrayValue != nil: arguments = .object(value.text)
            default: throw ChunkShapeError()
            }
        }
    }
}
