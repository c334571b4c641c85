import ChatKitProtocol

// MARK: - ChatStreamAccumulator

/// A pure state machine over chat-completions stream chunks (the `data:` payloads).
///
/// Accepts every shape the common servers send (fixtures in Tests/TodoAgentTests/Fixtures/streams):
/// - tool-call argument fragments merged by `index` (OpenAI, vLLM, llama.cpp), a whole call in one chunk
///   (Ollama), several parallel calls that all carry `index: 0` (Ollama), calls without `id` or with `id: ""`
///   (llama.cpp, vLLM, LM Studio), deltas without `index` (some proxies);
/// - `arguments` as a JSON object instead of a string (llama.cpp, Ollama's native form);
/// - reasoning in `reasoning_content` or `reasoning` (DeepSeek, Qwen, vLLM), kept apart from the answer;
/// - a repeated `role`, `content: null` or `""`, a usage chunk with `choices: []`, a stream that ends
///   without `[DONE]` after a `finish_reason`, or with `[DONE]` and no `finish_reason` at all.
///
/// Calls under one index are told apart like this: a delta with a new non-empty `id` and a function name
/// starts a new call (an id that changes on a fragment without a name is a server that mints ids per chunk,
/// and continues the call); a delta with a function name under an index whose call already has a name and
/// complete JSON arguments starts a new call too. Calls without an id get `call_<n>` (n = position in the
/// response), stable for the same stream. The calls are trusted whatever the `finish_reason` says.
/// Arguments are only handed out when the response is complete.
public struct ChatStreamAccumulator: Sendable {
    private struct PartialCall: Sendable {
        var index: Int
        var ordinal: Int
        var id: String?
        var name = ""
        var arguments = ""
    }

    private var calls: [PartialCall] = []
    /// For each stream index, the position in `calls` of the call that fragments continue.
    private var current: [Int: Int] = [:]
    /// All answer text received so far (never reasoning).
    public private(set) var text = ""
    /// All reasoning text received so far.
    public private(set) var reasoning = ""
    /// The last `finish_reason` seen.
    public private(set) var finishReason: String?
    /// Whether `data: [DONE]` arrived.
    public private(set) var sawDone = false

    /// Creates an empty accumulator.
    public init() {}

    /// Whether the response is complete (a finish reason or `[DONE]` arrived).
    public var isComplete: Bool { sawDone || finishReason != nil }

    /// Consumes one event's data and returns the events to forward now (text and reasoning deltas, usage).
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
            var reader = JSONReader(trimmed)
            chunk = try Chunk(reading: &reader)
        } catch {
            throw TodoAgentError.protocolViolation("a chunk is not valid JSON: \(trimmed.prefix(120))")
        }
        if let message = chunk.errorMessage {
            throw TodoAgentError.protocolViolation("the provider reported an error mid-stream: \(message)")
        }
        var out: [LLMStreamEvent] = []
        for choice in chunk.choices where (choice.index ?? 0) == 0 {
            if let thought = choice.reasoning, !thought.isEmpty {
                reasoning += thought
                out.append(.reasoningDelta(thought))
            }
            if let content = choice.content, !content.isEmpty {
                text += content
                out.append(.textDelta(content))
            }
            for call in choice.toolCalls { add(call) }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if let usage = chunk.usage {
            out.append(.usage(promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0))
        }
        return out
    }

    /// Merges one tool-call delta into the call it continues, or starts a new call.
    private mutating func add(_ delta: CallDelta) {
        let id = delta.id.flatMap { $0.isEmpty ? nil : $0 }
        let name = delta.name.flatMap { $0.isEmpty ? nil : $0 }
        // Without an index (some proxies) a delta belongs to the last call's slot; the rules below still
        // start a new call there when it names one.
        let index = delta.index ?? calls.last?.index ?? 0
        var position = current[index]
        if let p = position, startsNewCall(calls[p], id: id, name: name) { position = nil }
        if position == nil {
            let ordinal = calls.lazy.filter { $0.index == index }.count
            calls.append(PartialCall(index: index, ordinal: ordinal))
            position = calls.count - 1
            current[index] = position
        }
        var call = calls[position!]
        if let id, call.id == nil { call.id = id }
        if let name, call.name != name {
            // A name sent again with every fragment is kept once; a name in pieces is joined.
            call.name += name
        }
        switch delta.arguments {
        case .fragment(let text): call.arguments += text
        case .object(let text): call.arguments = text
        case nil: break
        }
        calls[position!] = call
    }

    private func startsNewCall(_ call: PartialCall, id: String?, name: String?) -> Bool {
        guard name != nil, !call.name.isEmpty else { return false }
        if let id, let known = call.id, id != known { return true }
        // A name again under an index whose call is whole: the next call (Ollama's parallel calls at index 0).
        return Self.isCompleteJSON(call.arguments)
    }

    /// Whether `text` is one complete JSON value (the arguments of a finished call).
    private static func isCompleteJSON(_ text: String) -> Bool {
        // Arguments are an object: skip the parse while the text cannot be one yet (LM Studio repeats the
        // name on every fragment, so this runs per fragment there).
        guard let last = text.utf8.last(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), last == UInt8(ascii: "}") || last == UInt8(ascii: "]")
        else { return false }
        return (try? JSONValue.parse(text)) != nil
    }

    /// `data` without leading and trailing spaces and tabs (Foundation's `trimmingCharacters` goes through
    /// NSString on Linux and cost as much as decoding the chunk).
    static func trimmingSpaces(_ data: String) -> Substring {
        // Nearly every payload has no space at either end: no Character iteration for those.
        let utf8 = data.utf8
        if let first = utf8.first, let last = utf8.last, first != 0x20, first != 0x09, last != 0x20, last != 0x09 {
            return data[...]
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = data.firstIndex(where: { !isSpace($0) }), let last = data.lastIndex(where: { !isSpace($0) }) else { return "" }
        return data[first...last]
    }

    /// The complete tool calls, ordered by index (calls under one index in the order they came); calls
    /// without an id get `call_<n>`, n their position in this list. Calls without a name are dropped.
    public var toolCalls: [ToolCallRequest] {
        let ordered = calls.filter { !$0.name.isEmpty }.sorted { ($0.index, $0.ordinal) < ($1.index, $1.ordinal) }
        var seen: Set<String> = []
        return ordered.enumerated().map { n, call in
            var id = call.id ?? "call_\(n)"
            // Two calls with one id (a server that reuses ids) would answer each other's results.
            if seen.contains(id) { id += "_\(n)" }
            seen.insert(id)
            return ToolCallRequest(id: id, name: call.name, arguments: call.arguments.isEmpty ? "{}" : call.arguments)
        }
    }
}
