import ChatKitProtocol

// MARK: - Wire shapes of one stream chunk

// Read with ChatKitProtocol's JSONReader (no Foundation decoder per chunk, and nothing built of the members
// nobody reads), with the rules a `Decodable` of optionals had: an absent or null field is nil, a field of the
// wrong type is an error, and (as for a JSONValue object's subscript) the first of repeated keys counts.

struct ChunkShapeError: Error {}

/// One `chat.completion.chunk` payload.
struct Chunk {
    var choices: [Choice] = []
    var usage: (promptTokens: Int?, completionTokens: Int?)?
    var errorMessage: String?

    /// Reads one whole chunk document.
    /// - Throws: `ChunkShapeError` for a field of the wrong type, `ChatKitError` for malformed JSON.
    init(reading reader: inout JSONReader) throws {
        guard try reader.peek() == .object else { throw ChunkShapeError() }
        try reader.beginObject()
        var seen = (choices: false, usage: false, error: false)
        while try reader.nextMember() {
            if !seen.choices, reader.keyIs("choices") {
                seen.choices = true
                choices = try Self.elements(&reader) { try Choice(reading: &$0) }
            } else if !seen.usage, reader.keyIs("usage") {
                seen.usage = true
                if let usage = try Self.object(reader.value()) {
                    self.usage = (try Self.int(usage["prompt_tokens"]), try Self.int(usage["completion_tokens"]))
                }
            } else if !seen.error, reader.keyIs("error") {
                seen.error = true
                if let error = try Self.object(reader.value()) { errorMessage = try Self.string(error["message"]) }
            } else {
                try reader.skip()
            }
        }
        try reader.end()
    }

    /// The elements of the array the reader is at, each read by `element`; none for null.
    static func elements<T>(_ reader: inout JSONReader, _ element: (inout JSONReader) throws -> T) throws -> [T] {
        switch try reader.peek() {
        case .null:
            _ = try reader.value()
            return []
        case .array:
            var out: [T] = []
            try reader.beginArray()
            while try reader.nextElement() { out.append(try element(&reader)) }
            return out
        default:
            throw ChunkShapeError()
        }
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

    init(reading reader: inout JSONReader) throws {
        guard try reader.peek() == .object else { throw ChunkShapeError() }
        try reader.beginObject()
        var seen = (index: false, finishReason: false, delta: false)
        while try reader.nextMember() {
            if !seen.index, reader.keyIs("index") {
                seen.index = true
                index = try Chunk.int(reader.value())
            } else if !seen.finishReason, reader.keyIs("finish_reason") {
                seen.finishReason = true
                finishReason = try Chunk.string(reader.value())
            } else if !seen.delta, reader.keyIs("delta") {
                seen.delta = true
                try readDelta(&reader)
            } else {
                try reader.skip()
            }
        }
    }

    private mutating func readDelta(_ reader: inout JSONReader) throws {
        switch try reader.peek() {
        case .null:
            _ = try reader.value()
            return
        case .object:
            break
        default:
            throw ChunkShapeError()
        }
        try reader.beginObject()
        var seen = (content: false, toolCalls: false)
        var reasoningContent: JSONValue?
        var plainReasoning: JSONValue?
        while try reader.nextMember() {
            if !seen.content, reader.keyIs("content") {
                seen.content = true
                content = try Chunk.string(reader.value())
            } else if reasoningContent == nil, reader.keyIs("reasoning_content") {
                reasoningContent = try reader.value()
            } else if plainReasoning == nil, reader.keyIs("reasoning") {
                plainReasoning = try reader.value()
            } else if !seen.toolCalls, reader.keyIs("tool_calls") {
                seen.toolCalls = true
                toolCalls = try Chunk.elements(&reader) { try CallDelta($0.value()) }
            } else {
                try reader.skip()
            }
        }
        // Reasoning is optional decoration: a field of another shape is ignored rather than failing the turn.
        if let text = reasoningContent?.stringValue, !text.isEmpty {
            reasoning = text
        } else if let text = plainReasoning?.stringValue, !text.isEmpty {
            reasoning = text
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
