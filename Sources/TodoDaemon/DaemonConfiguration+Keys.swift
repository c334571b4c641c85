import Logging

// MARK: - The settings, one table

/// One setting of todod: its config-file key, the environment variables that set it (the first one set
/// wins) and its flag. `todod --help`, the config-file parser and `todod --check-config` all use this table.
public struct DaemonSettingKey: Sendable, Hashable {
    /// The config-file key (`data_dir`).
    public let name: String
    /// The environment variables, in order of preference.
    public let environment: [String]
    /// The command-line flag, or nil for a setting that is never given on the command line (secrets).
    public let flag: String?
    /// Whether `--check-config` redacts the value.
    public let isSecret: Bool

    init(_ name: String, _ environment: [String], flag: String? = nil, secret: Bool = false) {
        self.name = name
        self.environment = environment
        self.flag = flag
        self.isSecret = secret
    }
}

extension DaemonConfiguration {
    /// Every setting, in the order `--check-config` prints them.
    public static let settingKeys: [DaemonSettingKey] = [
        DaemonSettingKey("data_dir", ["TODOD_DATA_DIR"], flag: "--data-dir"),
        DaemonSettingKey("database_url", ["TODOD_DATABASE_URL", "DATABASE_URL"], flag: "--database-url"),
        DaemonSettingKey("control_socket", ["TODOD_CONTROL_SOCKET"], flag: "--control-socket"),
        DaemonSettingKey("http", ["TODOD_HTTP"], flag: "--http"),
        DaemonSettingKey("allowed_group", ["TODOD_ALLOWED_GROUP"], flag: "--allowed-group"),
        DaemonSettingKey("log_level", ["TODOD_LOG_LEVEL"], flag: "--log-level"),
        DaemonSettingKey("chat_rate_limit", ["TODOD_CHAT_RATE_LIMIT"], flag: "--chat-rate-limit"),
        DaemonSettingKey("max_streams_per_user", ["TODOD_MAX_STREAMS_PER_USER"], flag: "--max-streams-per-user"),
        DaemonSettingKey("idle_timeout", ["TODOD_IDLE_TIMEOUT"], flag: "--idle-timeout"),
        DaemonSettingKey("token_ttl", ["TODOD_TOKEN_TTL"], flag: "--token-ttl"),
        DaemonSettingKey("ui", ["TODOD_UI"], flag: "--ui"),
        DaemonSettingKey("chatkit_domain_key", ["TODOD_CHATKIT_DOMAIN_KEY"], flag: "--chatkit-domain-key"),
        DaemonSettingKey("auth_secret", ["BETTER_AUTH_SECRET"], secret: true),
        DaemonSettingKey("auth_secret_file", ["TODOD_AUTH_SECRET_FILE"], flag: "--auth-secret-file"),
        DaemonSettingKey("llm_base_url", ["TODOD_LLM_BASE_URL"], flag: "--llm-base-url"),
        DaemonSettingKey("llm_api_key", ["TODOD_LLM_API_KEY", "OPENAI_API_KEY"], secret: true),
        DaemonSettingKey("llm_model", ["TODOD_LLM_MODEL"], flag: "--llm-model"),
        DaemonSettingKey("llm_timeout", ["TODOD_LLM_TIMEOUT"], flag: "--llm-timeout"),
        DaemonSettingKey("llm_max_rounds", ["TODOD_LLM_MAX_ROUNDS"], flag: "--llm-max-rounds"),
        DaemonSettingKey("llm_context_window", ["TODOD_LLM_CONTEXT_WINDOW"], flag: "--llm-context-window"),
        DaemonSettingKey("llm_parallel_tool_calls", ["TODOD_LLM_PARALLEL_TOOL_CALLS"], flag: "--llm-parallel-tool-calls"),
        DaemonSettingKey("llm_titles", ["TODOD_LLM_TITLES"], flag: "--llm-titles"),
    ]

    /// The key named `name`, if it is one.
    static func settingKey(_ name: String) -> DaemonSettingKey? { settingKeys.first { $0.name == name } }

    /// The effective configuration as config-file lines, each with where its value came from; secrets are
    /// replaced by `<redacted>` (`todod --check-config`).
    public var redactedDescription: String {
        var lines = ["# todod \(DaemonRuntime.version): effective configuration (flags > environment > config file > defaults)"]
        if let configFile { lines.append("# config file: \(configFile)") }
        for key in Self.settingKeys {
            let shown: String
            if let value = displayValue(key.name) {
                shown = key.isSecret && !value.isEmpty ? "<redacted>" : value
            } else {
                shown = ""
            }
            lines.append(Self.annotated("\(key.name) = \(shown.isEmpty ? "\"\"" : shown)", source: sources[key.name] ?? "default"))
        }
        lines.append("# --repair (flag only): \(repair ? "on" : "off")")
        return lines.joined(separator: "\n")
    }

    private static func annotated(_ line: String, source: String) -> String {
        line + String(repeating: " ", count: max(1, 48 - line.count)) + "# " + source
    }

    /// The value of `name` as text (nil when unset).
    func displayValue(_ name: String) -> String? {
        switch name {
        case "data_dir": dataDirectory
        case "database_url": redactedDatabaseURL
        case "control_socket": controlSocket
        case "http": http ?? "off"
        case "allowed_group": allowedGroup
        case "log_level": logLevel.rawValue
        case "chat_rate_limit": String(chatRateLimit)
        case "max_streams_per_user": String(maxStreamsPerUser)
        case "idle_timeout": String(idleTimeoutSeconds)
        case "token_ttl": String(tokenTTLSeconds)
        case "ui": ui
        case "chatkit_domain_key": chatkitDomainKey
        case "auth_secret": authSecret
        case "auth_secret_file": authSecretFile
        case "llm_base_url": llmBaseURL
        case "llm_api_key": llmAPIKey
        case "llm_model": llmModel
        case "llm_timeout": String(llmTimeoutSeconds)
        case "llm_max_rounds": String(llmMaxRounds)
        case "llm_context_window": String(llmContextWindow)
        case "llm_parallel_tool_calls": llmParallelToolCalls.map { $0 ? "true" : "false" } ?? "auto"
        case "llm_titles": llmTitles ? "on" : "off"
        default: nil
        }
    }
}
