// MARK: - TodoAgentError

/// The one error type of `TodoAgent`: why a model request or a turn failed.
public struct TodoAgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: String, Sendable, Equatable {
        /// No usable key / base URL.
        case notConfigured
        /// The provider rejected the credentials (401/403).
        case unauthorized
        /// The provider is rate limiting or failing (429, 5xx): worth retrying.
        case unavailable
        /// The provider rejected the request (other 4xx).
        case rejected
        /// The provider could not be reached.
        case transport
        /// The stream ended before the model finished.
        case streamCut
        /// The stream was not valid OpenAI-compatible SSE.
        case protocolViolation
        /// The turn took longer than its limit.
        case timeout
        /// The server or the model cannot call tools (an HTTP 400 naming tools, llama.cpp without `--jinja`).
        case toolsUnsupported
    }

    /// The kind of failure.
    public let kind: Kind
    /// The HTTP status, when the provider answered with one.
    public let status: Int?
    /// A human-readable message.
    public let message: String

    private init(_ kind: Kind, status: Int? = nil, _ message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    /// Whether another attempt of the same request may succeed.
    public var isRetryable: Bool { kind == .unavailable || kind == .transport }

    /// No usable configuration.
    /// - Parameter message: how to configure one.
    public static func notConfigured(_ message: String) -> TodoAgentError { TodoAgentError(.notConfigured, message) }

    /// The provider answered with a non-2xx status.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - body: the start of the response body.
    public static func http(status: Int, body: String) -> TodoAgentError {
        let detail = body.isEmpty ? "" : ": \(body.prefix(300))"
        if namesMissingToolSupport(status: status, body: body) {
            return TodoAgentError(.toolsUnsupported, status: status, "the model server cannot use tools with this model (HTTP \(status))\(detail)")
        }
        switch status {
        case 401, 403: return TodoAgentError(.unauthorized, status: status, "the model provider rejected the API key (HTTP \(status))\(detail)")
        case 429: return TodoAgentError(.unavailable, status: status, "the model provider is rate limiting requests (HTTP 429)\(detail)")
        case 500...599: return TodoAgentError(.unavailable, status: status, "the model provider failed (HTTP \(status))\(detail)")
        default: return TodoAgentError(.rejected, status: status, "the model provider rejected the request (HTTP \(status))\(detail)")
        }
    }

    /// Whether a rejection says that tools are not supported: a 4xx (not 401/403/429) whose body names tools
    /// (Ollama: "… does not support tools"; vLLM: "\"auto\" tool choice requires --enable-auto-tool-choice";
    /// LM Studio and others), or llama.cpp's "tools param requires --jinja flag" whatever its status.
    static func namesMissingToolSupport(status: Int, body: String) -> Bool {
        let lower = body.lowercased()
        if lower.contains("--jinja") { return true }
        guard (400..<500).contains(status), ![401, 403, 429].contains(status), !lower.contains("parallel_tool_calls") else { return false }
        return lower.contains("tool") && ["support", "enable", "requires", "not available", "not allowed"].contains { lower.contains($0) }
    }

    /// The provider could not be reached.
    /// - Parameter detail: the underlying error.
    public static func transport(_ detail: String) -> TodoAgentError { TodoAgentError(.transport, "could not reach the model provider: \(detail)") }

    /// The stream ended early.
    /// - Parameter detail: what happened.
    public static func streamCut(_ detail: String) -> TodoAgentError { TodoAgentError(.streamCut, "the model's stream was cut off: \(detail)") }

    /// The stream was malformed.
    /// - Parameter detail: what was wrong.
    public static func protocolViolation(_ detail: String) -> TodoAgentError { TodoAgentError(.protocolViolation, "the model sent an invalid stream: \(detail)") }

    /// The turn ran out of time.
    /// - Parameter seconds: the limit.
    public static func timeout(seconds: Double) -> TodoAgentError {
        TodoAgentError(.timeout, "the assistant took longer than \(formatSeconds(seconds)) s and was stopped")
    }

    public var description: String { message }
}

/// `30` for whole seconds, `0.5` otherwise.
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
