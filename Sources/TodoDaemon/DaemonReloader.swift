import Logging
import SystemdSupport
import TodoControl

// MARK: - Reload

/// Re-reads the configuration on SIGHUP and applies what can change while running: log level, allowed
/// group (new connections), chat rate limit and token lifetime. Other changes are logged and ignored
/// until a restart. A bad configuration keeps the running one.
actor DaemonReloader {
    private let overrides: DaemonOverrides
    private var current: DaemonConfiguration
    private let context: DaemonContext
    private let runtime: DaemonRuntime
    private let logger: Logger

    init(overrides: DaemonOverrides, initial: DaemonConfiguration, context: DaemonContext, runtime: DaemonRuntime, logger: Logger) {
        self.overrides = overrides
        self.current = initial
        self.context = context
        self.runtime = runtime
        self.logger = logger
    }

    func reload() {
        context.notifier.reloading()
        logger.info("SIGHUP: reloading configuration", metadata: ["todo.config": "\(current.configFile ?? "none")"])
        let next: DaemonConfiguration
        let policy: PeerPolicy
        do {
            next = try DaemonConfiguration.load(overrides: overrides, environment: context.environment)
            policy = try Daemon.policy(for: next, accounts: context.accounts)
        } catch {
            logger.error("reload failed; keeping the running configuration", metadata: ["todo.error": "\(error)"])
            context.notifier.ready(status: "reload failed: \(error); running with the previous configuration")
            return
        }
        for (name, changed) in [
            ("data_dir", next.dataDirectory != current.dataDirectory), ("database_url", next.databaseURL != current.databaseURL),
            ("control_socket", next.controlSocket != current.controlSocket),
            ("http", next.http != current.http), ("idle_timeout", next.idleTimeoutSeconds != current.idleTimeoutSeconds),
            ("max_streams_per_user", next.maxStreamsPerUser != current.maxStreamsPerUser),
            ("auth_secret", next.authSecret != current.authSecret || next.authSecretFile != current.authSecretFile),
            ("llm settings", next.llm != current.llm),
        ] where changed {
            logger.warning("\(name) changed; it takes effect after a restart")
        }
        context.levelControl.level = next.logLevel
        runtime.access.update(policy)
        runtime.settings = .init(chatRateLimit: next.chatRateLimit, tokenTTLSeconds: next.tokenTTLSeconds)
        var applied = next
        applied.dataDirectory = current.dataDirectory
        applied.databaseURL = current.databaseURL
        applied.controlSocket = current.controlSocket
        applied.http = current.http
        applied.idleTimeoutSeconds = current.idleTimeoutSeconds
        current = applied
        logger.info("configuration reloaded", metadata: [
            "todo.log_level": "\(next.logLevel)", "todo.allowed_group": "\(next.allowedGroup ?? "none")",
            "todo.chat_rate_limit": "\(next.chatRateLimit)",
        ])
        context.notifier.ready(status: "ready: configuration reloaded")
    }
}
