#if canImport(Glibc)
import Glibc
#endif
public import Logging
import TodoAgent
import TodoControl

// MARK: - Configuration

/// Everything todod can be configured with. Every field has a default; `DaemonConfiguration.load`
/// layers flags > environment > config file > defaults.
///
/// | key (file)        | environment             | flag               | default |
/// |-------------------|-------------------------|--------------------|---------|
/// | `data_dir`        | `TODOD_DATA_DIR`        | `--data-dir`       | `$STATE_DIRECTORY`, else `$XDG_STATE_HOME/todod`, else `~/.local/state/todod` |
/// | `database_url`    | `TODOD_DATABASE_URL`, `DATABASE_URL` | `--database-url` | none: the file store in the data directory |
/// | `control_socket`  | `TODOD_CONTROL_SOCKET`  | `--control-socket` | `$RUNTIME_DIRECTORY/todod.sock`, else `$XDG_RUNTIME_DIR/todod/todod.sock`, else `/tmp/todod-UID/todod.sock` |
/// | `http`            | `TODOD_HTTP`            | `--http`           | `127.0.0.1:8765` (`off` disables) |
/// | `allowed_group`   | `TODOD_ALLOWED_GROUP`   | `--allowed-group`  | none (only root and the daemon's uid) |
/// | `log_level`       | `TODOD_LOG_LEVEL`       | `--log-level`      | `info` |
/// | `chat_rate_limit` | `TODOD_CHAT_RATE_LIMIT` | `--chat-rate-limit`| `20` chat messages per user per minute |
/// | `idle_timeout`    | `TODOD_IDLE_TIMEOUT`    | `--idle-timeout`   | `300` seconds |
/// | `token_ttl`       | `TODOD_TOKEN_TTL`       | `--token-ttl`      | `2592000` seconds (30 days) |
/// | `ui`              | `TODOD_UI`              | `--ui`             | `builtin` (or `chatkit`: OpenAI's CDN component) |
/// | `chatkit_domain_key` | `TODOD_CHATKIT_DOMAIN_KEY` | `--chatkit-domain-key` | empty |
/// | `max_streams_per_user` | `TODOD_MAX_STREAMS_PER_USER` | `--max-streams-per-user` | `16` concurrent chat streams per user |
/// | `auth_secret`     | `BETTER_AUTH_SECRET`    | (none: secrets stay off the command line) | none |
/// | `auth_secret_file` | `TODOD_AUTH_SECRET_FILE` | `--auth-secret-file` | `DATA_DIR/auth-secret` (created) |
/// | `llm_base_url`    | `TODOD_LLM_BASE_URL`    | `--llm-base-url`   | `https://api.openai.com/v1` |
/// | `llm_api_key`     | `TODOD_LLM_API_KEY`, `OPENAI_API_KEY` | (none) | none |
/// | `llm_model`       | `TODOD_LLM_MODEL`       | `--llm-model`      | `gpt-4.1-mini` |
/// | `llm_timeout`     | `TODOD_LLM_TIMEOUT`     | `--llm-timeout`    | `30` seconds per turn |
/// | `llm_max_rounds`  | `TODOD_LLM_MAX_ROUNDS`  | `--llm-max-rounds` | `8` model calls per turn |
/// | `llm_context_window` | `TODOD_LLM_CONTEXT_WINDOW` | `--llm-context-window` | `16384` tokens (history is fitted into it) |
/// | `llm_parallel_tool_calls` | `TODOD_LLM_PARALLEL_TOOL_CALLS` | `--llm-parallel-tool-calls` | `auto` (not sent; or `true`/`false`) |
/// | `llm_titles`      | `TODOD_LLM_TITLES`      | `--llm-titles`     | `on` (the model names new threads; `off`: first words) |
///
/// Reloadable with SIGHUP: `log_level`, `allowed_group` (new connections), `token_ttl`. `chat_rate_limit` is
/// re-read too, but the HTTP server takes its value at start (it applies after a restart).
/// The others need a restart (a reload that changes them logs a warning and keeps the running values).
public struct DaemonConfiguration: Sendable, Hashable {
    /// The data directory.
    public var dataDirectory: String
    /// The PostgreSQL URL (`postgres://…`, validated at load) selecting the PostgreSQL store; nil = the file
    /// store in `dataDirectory`. Holds the password: log `redactedDatabaseURL`, never this.
    public var databaseURL: String?
    /// The control socket path (ignored when systemd passes a `control` socket).
    public var controlSocket: String
    /// The HTTP listen address `HOST:PORT`, or nil when HTTP is off.
    public var http: String?
    /// The group whose members may use the control socket.
    public var allowedGroup: String?
    /// The log level.
    public var logLevel: Logger.Level
    /// Chat messages per user per minute.
    public var chatRateLimit: Int
    /// Idle control connections close after this many seconds.
    public var idleTimeoutSeconds: Int
    /// The default lifetime of `todoctl token` tokens, in seconds.
    public var tokenTTLSeconds: Int
    /// Quarantine a corrupt data file instead of refusing to start (`--repair`, flag only).
    public var repair: Bool
    /// The config file in use, if any.
    public var configFile: String?
    /// Which chat panel the web UI uses: `builtin` (offline) or `chatkit` (OpenAI's CDN component).
    public var ui: String
    /// The domain key the official ChatKit component is given (`ui = chatkit` only).
    public var chatkitDomainKey: String
    /// Concurrent streaming chat turns per user.
    public var maxStreamsPerUser: Int
    /// The HTTP token signing key (`BETTER_AUTH_SECRET`), if given as a value.
    public var authSecret: String?
    /// A file holding the HTTP token signing key, if given (read at start).
    public var authSecretFile: String?
    /// The OpenAI-compatible chat-completions base URL.
    public var llmBaseURL: String
    /// The model API key, if any.
    public var llmAPIKey: String?
    /// The model name.
    public var llmModel: String
    /// The longest one chat turn may take, in seconds.
    public var llmTimeoutSeconds: Int
    /// The most model calls per chat turn.
    public var llmMaxRounds: Int
    /// The model's context window in tokens.
    public var llmContextWindow: Int
    /// `parallel_tool_calls` sent to the model, or nil to send nothing (`auto`).
    public var llmParallelToolCalls: Bool?
    /// Whether the model names new threads.
    public var llmTitles: Bool
    /// Where each value came from (`--http`, `TODOD_HTTP`, `http in FILE`), by key; absent = default.
    public var sources: [String: String]

    /// A configuration with every default resolved for this environment.
    /// - Parameter environment: the process environment (for `STATE_DIRECTORY`, `XDG_*`, `HOME`).
    public init(defaultsFor environment: [String: String]) {
        self.dataDirectory = Self.defaultDataDirectory(environment: environment)
        self.databaseURL = nil
        self.controlSocket = ControlSocketDefaults.daemonPath(environment: environment)
        self.http = "127.0.0.1:8765"
        self.allowedGroup = nil
        self.logLevel = .info
        self.chatRateLimit = 20
        self.idleTimeoutSeconds = 300
        self.tokenTTLSeconds = 30 * 24 * 3600
        self.repair = false
        self.configFile = nil
        self.ui = "builtin"
        self.chatkitDomainKey = ""
        self.maxStreamsPerUser = 16
        self.authSecret = nil
        self.authSecretFile = nil
        let llm = LLMConfiguration()
        self.llmBaseURL = llm.baseURL
        self.llmAPIKey = nil
        self.llmModel = llm.model
        self.llmTimeoutSeconds = Int(llm.turnTimeoutSeconds)
        self.llmMaxRounds = llm.maxRounds
        self.llmContextWindow = llm.contextWindowTokens
        self.llmParallelToolCalls = llm.parallelToolCalls
        self.llmTitles = llm.modelTitles
        self.sources = [:]
    }

    /// The assistant's model settings.
    var llm: LLMConfiguration {
        var config = LLMConfiguration()
        config.baseURL = llmBaseURL
        config.apiKey = llmAPIKey
        config.model = llmModel
        config.turnTimeoutSeconds = Double(llmTimeoutSeconds)
        config.maxRounds = llmMaxRounds
        config.contextWindowTokens = llmContextWindow
        config.parallelToolCalls = llmParallelToolCalls
        config.modelTitles = llmTitles
        return config
    }

    /// `$STATE_DIRECTORY`, else `$XDG_STATE_HOME/todod`, else `~/.local/state/todod`.
    /// - Parameter environment: the process environment.
    public static func defaultDataDirectory(environment: [String: String]) -> String {
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !state.isEmpty { return String(state) }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/todod" }
        return homeDirectory(environment: environment) + "/.local/state/todod"
    }

    static func homeDirectory(environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/tmp"
    }

    /// `host` and `port` of `http`, when set.
    public var httpHostPort: (host: String, port: Int)? {
        guard let http, let colon = http.lastIndex(of: ":"), let port = Int(http[http.index(after: colon)...]) else { return nil }
        var host = String(http[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}

// MARK: - Overrides

/// Settings given as command-line flags (nil = not given). `todod` fills it from argument-parser.
public struct DaemonOverrides: Sendable, Hashable {
    public var dataDirectory: String?
    public var databaseURL: String?
    public var controlSocket: String?
    public var http: String?
    public var allowedGroup: String?
    public var logLevel: String?
    public var chatRateLimit: Int?
    public var idleTimeoutSeconds: Int?
    public var tokenTTLSeconds: Int?
    public var repair = false
    public var configFile: String?
    public var ui: String?
    public var chatkitDomainKey: String?
    public var maxStreamsPerUser: Int?
    public var authSecretFile: String?
    public var llmBaseURL: String?
    public var llmModel: String?
    public var llmTimeoutSeconds: Int?
    public var llmMaxRounds: Int?
    public var llmContextWindow: Int?
    public var llmParallelToolCalls: String?
    public var llmTitles: String?

    public init() {}
}
