import Foundation

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
        let trimmed = data.trimmingCharacters(in: .whitespaces)
        if trimmed == "[DONE]" {
            sawDone = true
            return []
        }
        let chunk: Chunk
        do {
            chunk = try JSONDecoder().decode(Chunk.self, from: Data(trimmed.utf8))
        } catch {
            throw TodoAgentError.protocolViolation("a chunk is not valid JSON: \(trimmed.prefix(120))")
        }
        if let message = chunk.error?.message {
            throw TodoAgentError.protocolViolation("the provider reported an error mid-stream: \(message)")
        }
        var out: [LLMStreamEvent] = []
        for choice in chunk.choices ?? [] where (choice.index ?? 0) == 0 {
            if let content = choice.delta?.content, !content.isEmpty {
                text += content
                out.append(.textDelta(content))
            }
            for call in choice.delta?.toolCalls ?? [] {
                let index = call.index ?? calls.count
                var partial = calls[index] ?? PartialCall()
                if let id = call.id, !id.isEmpty { partial.id = id }
                if let name = call.function?.name, !name.isEmpty { partial.name += partial.name == name ? "" : name }
                if let fragment = call.function?.arguments { partial.arguments += fragment }
                calls[index] = partial
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if let usage = chunk.usage {
            out.append(.usage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0))
        }
        return out
    }

    /// The complete tool calls, ordered by index; calls without an id get `call_<index>`.
    public var toolCalls: [ToolCallRequest] {
        calls.keys.sorted().map { index in
            let call = calls[index]!
            return ToolCallRequest(id: call.id ?? "call_\(index)", name: call.name, arguments: call.arguments)
        }
    }

    // MARK: - Wire shapes

    private struct Chunk: Decodable {
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody?
    }

    private struct ErrorBody: Decodable {
        var message: String?
    }

    private struct Choice: Decodable {
        var index: Int?
        var delta: Delta?
        var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    private struct Delta: Decodable {
        var content: String?
        var toolCalls: [CallDelta]?
        enum CodingKeys: String, CodingKey {
            case content
            case toolCalls = "tool_calls"
        }
    }

    private struct CallDelta: Decodable {
        var index: Int?
        var id: String?
        var function: FunctionDelta?
    }

    private struct FunctionDelta: Decodable {
        var name: String?
        var arguments: String?
    }

    private struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }
}
