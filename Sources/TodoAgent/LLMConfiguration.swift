import Foundation
public import ChatKitProtocol
public import Logging
public import TodoCore

// MARK: - LLMConfiguration

/// How the assistant reaches its model, read from the environment.
///
/// | variable | default |
/// |---|---|
/// | `TODOD_LLM_BASE_URL` | `https://api.openai.com/v1` |
/// | `TODOD_LLM_API_KEY`, else `OPENAI_API_KEY` | none |
/// | `TODOD_LLM_MODEL` | `gpt-4.1-mini` |
/// | `TODOD_LLM_TIMEOUT` (seconds per turn) | `30` |
/// | `TODOD_LLM_MAX_ROUNDS` (model calls per turn) | `8` |
/// | `TODOD_LLM_CONTEXT_WINDOW` (the model's context, in tokens) | `16384` |
/// | `TODOD_LLM_PARALLEL_TOOL_CALLS` (`true`/`false`; unset: not sent) | unset |
/// | `TODOD_LLM_TITLES` (`on`/`off`: the model names new threads) | `on` |
///
/// A key is required unless the base URL's host is loopback (`localhost`, `127.0.0.1`, `::1`):
/// local servers such as Ollama (`http://127.0.0.1:11434/v1`) and llama.cpp's server
/// (`http://127.0.0.1:8080/v1`) need none. Without a usable configuration every turn ends
/// with a non-retryable error saying how to configure one.
public struct LLMConfiguration: Sendable, Hashable {
    /// The chat-completions base URL.
    public var baseURL: String
    /// The bearer token, if any.
    public var apiKey: String?
    /// The model name.
    public var model: String
    /// The longest one turn may take, in seconds.
    public var turnTimeoutSeconds: Double
    /// The most model calls per turn.
    public var maxRounds: Int
    /// The model's context window in tokens: the system prompt, the tools, the history, the message and
    /// room for the reply must fit (history is dropped oldest first; sizes are `TokenEstimate`s).
    public var contextWindowTokens: Int
    /// `parallel_tool_calls` sent with every request that has tools; nil sends nothing (the server's default).
    public var parallelToolCalls: Bool?
    /// Whether a new thread's title is written by one short extra model call after its first reply
    /// (otherwise, and when that call fails, the title is the message's first words).
    public var modelTitles: Bool
    /// The first retry delay after a 429/5xx, in seconds; it doubles for the second retry.
    public var retryBaseDelaySeconds: Double
    /// How many retries after a 429/5xx or a failed connection.
    public var maxRetries: Int

    /// The default base URL.
    public static let defaultBaseURL = "https://api.openai.com/v1"
    /// The default model: a current small OpenAI model.
    public static let defaultModel = "gpt-4.1-mini"
    /// The default context window: 16k tokens, which local models (Ollama, llama.cpp) are commonly run with.
    public static let defaultContextWindow = 16_384
    /// The smallest context window accepted (the system prompt and the tools alone take about 2k tokens).
    public static let minimumContextWindow = 2_048

    /// - Parameters: see the properties.
    public init(baseURL: String = defaultBaseURL, apiKey: String? = nil, model: String = defaultModel,
                turnTimeoutSeconds: Double = 30, maxRounds: Int = 8, contextWindowTokens: Int = defaultContextWindow,
                parallelToolCalls: Bool? = nil, modelTitles: Bool = true,
                retryBaseDelaySeconds: Double = 0.5, maxRetries: Int = 2) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.turnTimeoutSeconds = turnTimeoutSeconds
        self.maxRounds = maxRounds
        self.contextWindowTokens = contextWindowTokens
        self.parallelToolCalls = parallelToolCalls
        self.modelTitles = modelTitles
        self.retryBaseDelaySeconds = retryBaseDelaySeconds
        self.maxRetries = maxRetries
    }

    /// Reads the configuration from environment variables (see the type's table).
    /// - Parameter env: the environment, for example `ProcessInfo.processInfo.environment`.
    public static func fromEnvironment(_ env: [String: String]) -> LLMConfiguration {
        func value(_ key: String) -> String? {
            guard let raw = env[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        var config = LLMConfiguration()
        if let base = value("TODOD_LLM_BASE_URL") { config.baseURL = base }
        config.apiKey = value("TODOD_LLM_API_KEY") ?? value("OPENAI_API_KEY")
        if let model = value("TODOD_LLM_MODEL") { config.model = model }
        if let t = value("TODOD_LLM_TIMEOUT").flatMap(Double.init), t > 0 { config.turnTimeoutSeconds = t }
        if let r = value("TODOD_LLM_MAX_ROUNDS").flatMap(Int.init), r > 0 { config.maxRounds = r }
        if let w = value("TODOD_LLM_CONTEXT_WINDOW").flatMap(Int.init), w >= minimumContextWindow { config.contextWindowTokens = w }
        if let p = value("TODOD_LLM_PARALLEL_TOOL_CALLS").flatMap(parseSwitch) { config.parallelToolCalls = p }
        if let t = value("TODOD_LLM_TITLES").flatMap(parseSwitch) { config.modelTitles = t }
        return config
    }

    /// `true`/`on`/`yes`/`1` or `false`/`off`/`no`/`0` (any case); nil for anything else.
    /// - Parameter text: the setting's text.
    public static func parseSwitch(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "on", "yes", "1": true
        case "false", "off", "no", "0": false
        default: nil
        }
    }

    /// Why this configuration cannot be used, or nil when it can.
    public var problem: String? {
        let lower = baseURL.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return "The assistant is not configured: TODOD_LLM_BASE_URL must be an http:// or https:// URL (got '\(baseURL)')."
        }
        if apiKey == nil && !isLoopback {
            return "The assistant is not configured: set OPENAI_API_KEY (or TODOD_LLM_API_KEY) for \(baseURL), or point TODOD_LLM_BASE_URL at a local server such as Ollama (http://127.0.0.1:11434/v1), then restart todod."
        }
        return nil
    }

    /// Whether the base URL's host is loopback (no key needed).
    public var isLoopback: Bool {
        let afterScheme = baseURL.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
        let hostPort = afterScheme.split(separator: "@").last.map(String.init) ?? afterScheme
        let host: String
        if hostPort.hasPrefix("[") {
            host = String(hostPort.dropFirst().prefix { $0 != "]" })
        } else {
            host = String(hostPort.prefix { $0 != ":" })
        }
        return ["localhost", "::1"].contains(host.lowercased()) || host.hasPrefix("127.")
    }
}

// MARK: - Factory

/// The assistant behind `/api/chatkit`: an agent over `tasks` when `configuration` is usable,
/// otherwise a responder whose every turn ends with an error saying how to configure it.
/// - Parameters:
///   - configuration: the model settings (`LLMConfiguration.fromEnvironment(...)`).
///   - tasks: the task store the tools act on.
///   - clock: the daemon's clock ("today" in the prompt and for dates in words).
///   - logger: where the agent logs.
///   - metrics: model and tool call instruments (records nothing by default).
public func makeResponder(configuration: LLMConfiguration, tasks: any TaskRepository, clock: any WallClock = SystemWallClock(),
                          logger: Logger, metrics: AgentMetrics = .disabled) -> any Responder {
    if let problem = configuration.problem {
        logger.warning("assistant disabled", metadata: ["todo.llm.problem": .string(problem)])
        return UnconfiguredResponder(message: problem)
    }
    let client = OpenAICompatibleClient(
        baseURL: configuration.baseURL, apiKey: configuration.apiKey,
        requestTimeout: .milliseconds(Int64(configuration.turnTimeoutSeconds * 1000) + 5000))
    return AgentResponder(client: client, configuration: configuration, tasks: tasks, clock: clock, logger: logger, metrics: metrics)
}
