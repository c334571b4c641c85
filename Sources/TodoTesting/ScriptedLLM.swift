import Foundation

// MARK: - ScriptedLLM

/// Builders for the chat-completions stream shapes real servers send (see shared/llm/streams).
public enum ScriptedLLM {
    /// One tool call to script.
    public struct Call: Sendable {
        /// The call id.
        public var id: String
        /// The tool name.
        public var name: String
        /// The raw arguments text (need not be valid JSON).
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

    /// A streamed text reply in OpenAI's shape: role chunk with `content: ""`, one chunk per piece,
    /// `finish_reason: "stop"`, then a usage chunk with `choices: []`.
    /// - Parameter pieces: the text deltas.
    public static func text(_ pieces: [String]) -> [String] {
        [chunk(["role": "assistant", "content": ""])] + pieces.map { chunk(["content": $0]) }
            + [chunk([:], finish: "stop"), usage()]
    }

    /// Tool calls in OpenAI's shape: per call a first delta with index, id, name and `arguments: ""`
    /// (`content: null`), then argument fragments carrying only the index, then
    /// `finish_reason: "tool_calls"` and a usage chunk. Optional text first.
    /// - Parameters:
    ///   - calls: the calls (their index is their position).
    ///   - text: text the model says before calling.
    ///   - fragmentSize: characters per argument fragment.
    public static func toolCalls(_ calls: [Call], text: String? = nil, fragmentSize: Int = 7) -> [String] {
        var out: [String] = []
        if let text { out += [chunk(["role": "assistant", "content": ""]), chunk(["content": text])] }
        for (index, call) in calls.enumerated() {
            out.append(chunk(["role": "assistant", "content": NSNull(), "tool_calls": [
                ["index": index, "id": call.id, "type": "function", "function": ["name": call.name, "arguments": ""]]
            ]]))
            var rest = Substring(call.arguments)
            while !rest.isEmpty {
                let piece = rest.prefix(fragmentSize)
                rest = rest.dropFirst(piece.count)
                out.append(chunk(["tool_calls": [["index": index, "function": ["arguments": String(piece)]]]]))
            }
        }
        return out + [chunk([:], finish: "tool_calls"), usage()]
    }

    /// Ollama's shape: the whole call in ONE delta with `role` repeated, a finish chunk that repeats
    /// the role; send it with `done: false` (Ollama's capture has no `[DONE]`).
    /// - Parameter call: the call.
    public static func singleChunkToolCall(_ call: Call) -> [String] {
        [chunk(["role": "assistant", "content": "", "tool_calls": [
            ["id": call.id, "index": 0, "type": "function", "function": ["name": call.name, "arguments": call.arguments]]
        ]]), chunk(["role": "assistant", "content": ""], finish: "tool_calls")]
    }

    /// An OpenAI-style error body, for `.status(...)` replies.
    /// - Parameter message: the error message.
    public static func errorBody(_ message: String) -> String {
        encode(["error": ["message": message, "type": "server_error"]])
    }

    // MARK: - Chunks

    /// One `chat.completion.chunk` payload with a single choice.
    /// - Parameters:
    ///   - delta: the delta object.
    ///   - finish: the finish reason, or nil.
    public static func chunk(_ delta: [String: Any], finish: String? = nil) -> String {
        encode(["id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 1_767_225_600, "model": "scripted",
                "choices": [["index": 0, "delta": delta, "logprobs": NSNull(), "finish_reason": finish.map { $0 as Any } ?? NSNull()]]])
    }

    /// A usage chunk with `choices: []`.
    public static func usage() -> String {
        encode(["id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 1_767_225_600, "model": "scripted",
                "choices": [Any](), "usage": ["prompt_tokens": 44, "completion_tokens": 16, "total_tokens": 60]])
    }

    private static func encode(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
