import ArgumentParser
import Foundation
import TodoDaemon

/// `todod`: parse flags, then hand over to the `TodoDaemon` composition root.
@main
struct Todod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "todod", abstract: "The todo daemon: durable tasks behind a Unix control socket and a local web UI.",
        discussion: DaemonConfiguration.helpDiscussion, version: DaemonRuntime.version)

    @Option(name: .long, help: ArgumentHelp("Data directory (env TODOD_DATA_DIR).", valueName: "dir")) var dataDir: String?
    @Option(name: .long, help: ArgumentHelp("Control socket path (env TODOD_CONTROL_SOCKET).", valueName: "path")) var controlSocket: String?
    @Option(name: .long, help: ArgumentHelp("HTTP address HOST:PORT or 'off' (env TODOD_HTTP).", valueName: "host:port")) var http: String?
    @Option(name: .long, help: ArgumentHelp("Config file of key = value lines (env TODOD_CONFIG).", valueName: "file")) var config: String?
    @Option(name: .long, help: ArgumentHelp("Group allowed on the control socket (env TODOD_ALLOWED_GROUP).", valueName: "group")) var allowedGroup: String?
    @Option(name: .long, help: ArgumentHelp("Log level (env TODOD_LOG_LEVEL).", valueName: "level")) var logLevel: String?
    @Option(name: .long, help: ArgumentHelp("Chat messages per user per minute (env TODOD_CHAT_RATE_LIMIT).", valueName: "n")) var chatRateLimit: Int?
    @Option(name: .long, help: ArgumentHelp("Idle control connection timeout in seconds (env TODOD_IDLE_TIMEOUT).", valueName: "s")) var idleTimeout: Int?
    @Option(name: .long, help: ArgumentHelp("Default token lifetime in seconds (env TODOD_TOKEN_TTL).", valueName: "s")) var tokenTTL: Int?
    @Option(name: .long, help: ArgumentHelp("Chat panel of the web UI: builtin (offline) or chatkit (OpenAI's CDN component; env TODOD_UI).", valueName: "builtin|chatkit")) var ui: String?
    @Option(name: .long, help: ArgumentHelp("Domain key for --ui chatkit (env TODOD_CHATKIT_DOMAIN_KEY).", valueName: "key")) var chatkitDomainKey: String?
    @Flag(name: .long, help: "Quarantine a corrupt data file instead of refusing to start.") var repair = false

    func run() async throws {
        var overrides = DaemonOverrides()
        overrides.dataDirectory = dataDir
        overrides.controlSocket = controlSocket
        overrides.http = http
        overrides.configFile = config
        overrides.allowedGroup = allowedGroup
        overrides.logLevel = logLevel
        overrides.chatRateLimit = chatRateLimit
        overrides.idleTimeoutSeconds = idleTimeout
        overrides.tokenTTLSeconds = tokenTTL
        overrides.repair = repair
        overrides.ui = ui
        overrides.chatkitDomainKey = chatkitDomainKey
        throw ExitCode(await DaemonMain.run(overrides: overrides, environment: ProcessInfo.processInfo.environment))
    }
}
