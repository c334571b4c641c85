import Foundation
import ChatKitProtocol

// MARK: - ChatStreamAccumulator

/// A pure state machine over chat-completions stream chunks (the `data:` payloads).
///
/// Accepts every shape real servers send: tool-call argument fragments merged by `index`
/// (not `id`), a whole call in one chunk, a repeated `role`, `content: null` or `""`,
/// a usage chunk with `choices: []`, and a stream that ends without `[DONE]` after a
/// `finish_reason`. Arguments are only handed out when the response is complete.
public struct ChatStreamAccumulator: Sendable {
    private struct PartialCall: Sendable {
        var id: String?
        var name = ""
        var arguments = ""
    }

    private var calls: [Int: PartialCall] = [:]
    /// All text received so far.
    public private(set) var text = ""
    /// The last `finish_reason` seen.
    public private(set) var finishReason: String?
    /// Whether `data: [DONE]` arrived.
    public private(set) var sawDone = false

    /// Creates an empty accumulator.
    public init() {}

    /// Whether the response is complete (a finish reason or `[DONE]` arrived).
    public var isComplete: Bool { sawDone || finishReason != nil }

    /// Consumes one event's data and returns the events to forward now (text deltas, usage).
    /// - Parameter data: one SSE `data` payload.
    /// - Throws: `TodoAgentError.protocolViolation` when it is not a chunk object.
    public mutating func consume(_ data: String) throws -> [LLMStreamEvent] {
        let trimmed = Self.trimmingSpaces(data)
        if trimmed == "[DONE]" {
            sawDone = true
            return []
        }
        let chunk: Chunk
        do {
            chunk = try Chunk(JSONValue.parse(trimmed.utf8))
        } catch {
            throw TodoAgentError.protocolViolation("a chunk is not valid JSON: \(trimmed.prefix(120))")
        }
        if let message = chunk.errorMessage {
            throw TodoAgentError.protocolViolation("the provider reported an error mid-stream: \(message)")
        }
        var out: [LLMStreamEvent] = []
        for choice in chunk.choices where (choice.index ?? 0) == 0 {
            if let content = choice.content, !content.isEmpty {
                text += content
                out.append(.textDelta(content))
            }
            for call in choice.toolCalls {
                let index = call.index ?? calls.count
                var partial = calls[index] ?? PartialCall()
                if let id = call.id, !id.isEmpty { partial.id = id }
                if let name = call.name, !name.isEmpty { partial.name += partial.name == name ? "" : name }
                if let fragment = call.arguments { partial.arguments += fragment }
                calls[index] = partial
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if let usage = chunk.usage {
            out.append(.usage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0))
        }
        return out
    }

    /// `data` without leading and trailing spaces and tabs (Foundation's `trimmingCharacters` goes through
    /// NSString on Linux and cost as much as decoding the chunk).
    static func trimmingSpaces(_ data: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = data.firstIndex(where: { !isSpace($0) }), let last = data.lastIndex(where: { !isSpace($0) }) else { return "" }
        return data[first...last]
    }

    /// The complete tool calls, ordered by index; calls without an id get `call_<index>`.
    public var toolCalls: [ToolCallRequest] {
        calls.keys.sorted().map { index in
            let call = calls[index]!
            return ToolCallRequest(id: call.id ?? "call_\(index)", name: call.name, arguments: call.arguments)
        }
    }

    // MARK: - Wire shapes

    // Read from ChatKitProtocol's JSONValue (no Foundation decoder per chunk), with the rules a
    // `Decodable` of optionals had: an absent or null field is nil, a field of the wrong type is an error.

    private struct ShapeError: Error {}

    private struct Chunk {
        var choices: [Choice] = []
        var usage: (promptTokens: Int?, completionTokens: Int?)?
        var errorMessage: String?

        init(_ json: JSONValue) throws {
            guard case .object = json else { throw ShapeError() }
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
            guard case .object = value else { throw ShapeError() }
            return value
        }
        static func array(_ value: JSONValue?) throws -> [JSONValue] {
            guard let value = present(value) else { return [] }
            guard let array = value.arrayValue else { throw ShapeError() }
            return array
        }
        static func string(_ value: JSONValue?) throws -> String? {
            guard let value = present(value) else { return nil }
            guard let string = value.stringValue else { throw ShapeError() }
            return string
        }
        static func int(_ value: JSONValue?) throws -> Int? {
            guard let value = present(value) else { return nil }
            guard let int = value.intValue else { throw ShapeError() }
            return int
        }
    }

    private struct Choice {
        var index: Int?
        var content: String?
        var toolCalls: [CallDelta] = []
        var finishReason: String?

        init(_ json: JSONValue) throws {
            guard case .object = json else { throw ShapeError() }
            index = try Chunk.int(json["index"])
            finishReason = try Chunk.string(json["finish_reason"])
            if let delta = try Chunk.object(json["delta"]) {
                content = try Chunk.string(delta["content"])
                toolCalls = try Chunk.array(delta["tool_calls"]).map(CallDelta.init)
            }
        }
    }

    private struct CallDelta {
        var index: Int?
        var id: String?
        var name: String?
        var arguments: String?

        init(_ json: JSONValue) throws {
            guard case .object = json else { throw ShapeError() }
            index = try Chunk.int(json["index"])
            id = try Chunk.string(json["id"])
            if let function = try Chunk.object(json["function"]) {
                name = try Chunk.string(function["name"])
                arguments = try Chunk.string(function["arguments"])
            }
        }
    }
}
