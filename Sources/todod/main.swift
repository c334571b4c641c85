import ArgumentParser
import Foundation
import TodoCore
import TodoDaemon

/// The entry point: hold SIGTERM/SIGINT before anything else runs (see `DaemonMain.holdStopSignals`), then
/// parse the command line. An ordinary start (known flags, well-formed) is read by `DaemonCommandLine`,
/// which costs nothing measurable; ArgumentParser, whose reflection was about a third of the CPU from exec
/// to READY, only handles the rest: `--help`, `--version` and every error, with its usual messages.
///
/// `main` is synchronous on purpose (`ProcessEntry.runParked` says why).
@main
enum TododEntry {
    static func main() {
        DaemonMain.holdStopSignals()
        let arguments = Array(CommandLine.arguments.dropFirst())
        exit(ProcessEntry.runParked {
            if let parsed = DaemonCommandLine.parse(arguments) {
                return await Todod.run(overrides: parsed.overrides, checkConfig: parsed.checkConfig)
            }
            await Todod.main()
            return 0
        })
    }
}

/// `todod`: parse flags, then hand over to the `TodoDaemon` composition root.
struct Todod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "todod", abstract: "The todo daemon: durable tasks behind a Unix control socket and a local web UI.",
        discussion: DaemonConfiguration.helpDiscussion, version: DaemonRuntime.version)

    @Option(name: .long, help: ArgumentHelp("Data directory (env TODOD_DATA_DIR).", valueName: "dir")) var dataDir: String?
    @Option(name: .long, help: ArgumentHelp("PostgreSQL URL postgres://user:pass@host:port/db?sslmode=… selecting the PostgreSQL store (env TODOD_DATABASE_URL or DATABASE_URL; prefer those: a flag shows in ps).", valueName: "url")) var databaseURL: String?
    @Option(name: .long, help: ArgumentHelp("Control socket path (env TODOD_CONTROL_SOCKET).", valueName: "path")) var controlSocket: String?
    @Option(name: .long, help: ArgumentHelp("HTTP address HOST:PORT or 'off' (env TODOD_HTTP).", valueName: "host:port")) var http: String?
    @Option(name: .long, help: ArgumentHelp("Config file of key = value lines (env TODOD_CONFIG).", valueName: "file")) var config: String?
    @Option(name: .long, help: ArgumentHelp("Group allowed on the control socket (env TODOD_ALLOWED_GROUP).", valueName: "group")) var allowedGroup: String?
    @Option(name: .long, help: ArgumentHelp("Log level (env TODOD_LOG_LEVEL).", valueName: "level")) var logLevel: String?
    @Option(name: .long, help: ArgumentHelp("Chat messages per user per minute, 0 = off (env TODOD_CHAT_RATE_LIMIT).", valueName: "n")) var chatRateLimit: Int?
    @Option(name: .long, help: ArgumentHelp("Concurrent chat streams per user (env TODOD_MAX_STREAMS_PER_USER; default 16).", valueName: "n")) var maxStreamsPerUser: Int?
    @Option(name: .long, help: ArgumentHelp("Idle control connection timeout in seconds (env TODOD_IDLE_TIMEOUT).", valueName: "s")) var idleTimeout: Int?
    @Option(name: .long, help: ArgumentHelp("Default token lifetime in seconds (env TODOD_TOKEN_TTL).", valueName: "s")) var tokenTTL: Int?
    @Option(name: .long, help: ArgumentHelp("Chat panel of the web UI: builtin (offline) or chatkit (OpenAI's CDN component; env TODOD_UI).", valueName: "builtin|chatkit")) var ui: String?
    @Option(name: .long, help: ArgumentHelp("Domain key for --ui chatkit (env TODOD_CHATKIT_DOMAIN_KEY).", valueName: "key")) var chatkitDomainKey: String?
    @Option(name: .long, help: ArgumentHelp("File holding the HTTP token signing key, >= 32 bytes (env TODOD_AUTH_SECRET_FILE; or the secret itself in BETTER_AUTH_SECRET).", valueName: "file")) var authSecretFile: String?
    @Option(name: .long, help: ArgumentHelp("OpenAI-compatible base URL of the assistant's model (env TODOD_LLM_BASE_URL).", valueName: "url")) var llmBaseURL: String?
    @Option(name: .long, help: ArgumentHelp("Model name (env TODOD_LLM_MODEL; its key only from TODOD_LLM_API_KEY, OPENAI_API_KEY or llm_api_key in the config file).", valueName: "name")) var llmModel: String?
    @Option(name: .long, help: ArgumentHelp("Longest chat turn in seconds (env TODOD_LLM_TIMEOUT).", valueName: "s")) var llmTimeout: Int?
    @Option(name: .long, help: ArgumentHelp("Most model calls per chat turn (env TODOD_LLM_MAX_ROUNDS).", valueName: "n")) var llmMaxRounds: Int?
    @Option(name: .long, help: ArgumentHelp("The model's context window in tokens; history is fitted into it (env TODOD_LLM_CONTEXT_WINDOW).", valueName: "tokens")) var llmContextWindow: Int?
    @Option(name: .long, help: ArgumentHelp("parallel_tool_calls sent to the model: auto (not sent), true or false (env TODOD_LLM_PARALLEL_TOOL_CALLS).", valueName: "auto|true|false")) var llmParallelToolCalls: String?
    @Option(name: .long, help: ArgumentHelp("Whether the model names new threads (env TODOD_LLM_TITLES).", valueName: "on|off")) var llmTitles: String?
    @Flag(name: .long, help: "Quarantine a corrupt data file instead of refusing to start.") var repair = false
    @Flag(name: .long, help: "Print the effective configuration (secrets redacted) and exit: 0 when it is valid, 1 naming the bad setting.") var checkConfig = false

    func run() async throws {
        var overrides = DaemonOverrides()
        overrides.dataDirectory = dataDir
        overrides.databaseURL = databaseURL
        overrides.controlSocket = controlSocket
        overrides.http = http
        overrides.configFile = config
        overrides.allowedGroup = allowedGroup
        overrides.logLevel = logLevel
        overrides.chatRateLimit = chatRateLimit
        overrides.maxStreamsPerUser = maxStreamsPerUser
        overrides.idleTimeoutSeconds = idleTimeout
        overrides.tokenTTLSeconds = tokenTTL
        overrides.repair = repair
        overrides.ui = ui
        overrides.chatkitDomainKey = chatkitDomainKey
        overrides.authSecretFile = authSecretFile
        overrides.llmBaseURL = llmBaseURL
        overrides.llmModel = llmModel
        overrides.llmTimeoutSeconds = llmTimeout
        overrides.llmMaxRounds = llmMaxRounds
        overrides.llmContextWindow = llmContextWindow
        overrides.llmParallelToolCalls = llmParallelToolCalls
        overrides.llmTitles = llmTitles
        let status = await Self.run(overrides: overrides, checkConfig: checkConfig)
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs todod (or only checks its configuration) with parsed flags.
    /// - Returns: the exit status.
    static func run(overrides: DaemonOverrides, checkConfig: Bool) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        if checkConfig {
            switch DaemonMain.checkConfiguration(overrides: overrides, environment: environment) {
            case .success(let text):
                print(text)
                return 0
            case .failure(let error):
                FileHandle.standardError.write(Data("todod: invalid configuration: \(error)\n".utf8))
                return DaemonMain.startupFailureStatus
            }
        }
        return await DaemonMain.run(overrides: overrides, environment: environment)
    }
}
