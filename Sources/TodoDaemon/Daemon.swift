#if canImport(Glibc)
import Glibc
#endif
import Foundation
public import Logging
import ServiceLifecycle
public import SystemdSupport
import TodoAuth
public import TodoControl
public import TodoCore
public import TodoStore
import UnixSignals

// MARK: - Context

/// What the daemon takes from its process: environment, notifications, logging, inherited sockets.
/// `todod` uses `.system(...)`; tests pass recording sinks and their own environment.
public struct DaemonContext: Sendable {
    /// The environment (for defaults, `BETTER_AUTH_SECRET`, LLM settings).
    public var environment: [String: String]
    /// Where sd_notify messages go.
    public var notifier: SystemdNotifier
    /// The process-wide log level (SIGHUP changes it).
    public var levelControl: LogLevelControl
    /// Makes a logger for a label (`todo.daemon`, `todo.store`, ...).
    public var makeLogger: @Sendable (String) -> Logger
    /// Sockets passed by systemd.
    public var inheritedSockets: [InheritedSocket]
    /// The wall clock.
    public var clock: any WallClock
    /// User and group lookups for the control socket.
    public var accounts: any AccountDirectory
    /// The disk under the store (`POSIXStorage`; tests pass a `SimulatedDisk` to inject faults).
    public var storage: any StorageBackend
    /// How long graceful shutdown may take before the services are cancelled (`Daemon.gracefulShutdownLimit`;
    /// in-process test daemons, sharing two loaded cores with hundreds of tests, allow longer).
    public var shutdownLimit: Duration = Daemon.gracefulShutdownLimit

    /// - Parameters: see the properties.
    public init(
        environment: [String: String], notifier: SystemdNotifier, levelControl: LogLevelControl,
        makeLogger: @escaping @Sendable (String) -> Logger, inheritedSockets: [InheritedSocket] = [],
        clock: any WallClock = SystemWallClock(), accounts: any AccountDirectory = SystemAccountDirectory(),
        storage: any StorageBackend = POSIXStorage()
    ) {
        self.environment = environment
        self.notifier = notifier
        self.levelControl = levelControl
        self.makeLogger = makeLogger
        self.inheritedSockets = inheritedSockets
        self.clock = clock
        self.accounts = accounts
        self.storage = storage
    }

    /// The real process: `sd_notify`, the journald-aware log handler on stderr, and the listen fds systemd
    /// passed (taken, so children do not inherit them).
    /// - Parameter environment: the process environment.
    public static func system(environment: [String: String]) -> DaemonContext {
        let levels = LogLevelControl(.info)
        let journal = JournalStream.stderrIsJournal(environment: environment)
        return DaemonContext(
            environment: environment, notifier: SystemdNotifier(), levelControl: levels,
            makeLogger: { label in Logger(label: label) { JournalLogHandler(label: $0, usesPriorityPrefix: journal, levelControl: levels) } },
            inheritedSockets: SystemdListenFDs.take())
    }
}

// MARK: - Daemon

/// The composition root: the one place that builds the store, the control server, the HTTP server and
/// the systemd integration into one `ServiceGroup`. `todod` and the tests both use it.
public final class Daemon: Sendable {
    /// The configuration it started with.
    public let configuration: DaemonConfiguration
    /// Shared runtime state (listeners, reloadable settings).
    public let runtime: DaemonRuntime
    let store: any DataStore
    let serviceGroup: ServiceGroup
    let logger: Logger

    private init(configuration: DaemonConfiguration, runtime: DaemonRuntime, store: any DataStore, serviceGroup: ServiceGroup, logger: Logger) {
        self.configuration = configuration
        self.runtime = runtime
        self.store = store
        self.serviceGroup = serviceGroup
        self.logger = logger
    }

    /// Loads the configuration, binds the HTTP address, opens the store (the file store: takes the data-directory
    /// lock and recovers; PostgreSQL: connects, retrying with backoff while the database is unreachable, and
    /// migrates) and binds the control socket. Nothing is served (and `READY=1` is not sent) until `run()`.
    /// Cancelling the calling task stops between the steps and ends a wait for the database at once (and
    /// releases what was taken).
    /// - Parameters:
    ///   - overrides: command-line flags.
    ///   - context: the process context.
    /// - Throws: `DaemonError` with a message for the operator naming the address or path (second daemon,
    ///   address in use, bad config, corrupt data, ...), or `CancellationError`.
    public static func start(overrides: DaemonOverrides, context: DaemonContext) async throws -> Daemon {
        let configuration = try DaemonConfiguration.load(overrides: overrides, environment: context.environment)
        context.levelControl.level = configuration.logLevel
        let logger = context.makeLogger("todo.daemon")
        // Cheap checks first, so a bad value never waits for recovery.
        let secret = try configuration.readAuthSecret()
        let policy = try policy(for: configuration, accounts: context.accounts)
        let http = try DaemonHTTP.plan(configuration: configuration, inherited: context.inheritedSockets)
        let database = try configuration.databaseConfiguration()
        let metrics = DaemonMetrics(version: DaemonRuntime.version, startTime: Double(context.clock.now().millisecondsSinceEpoch) / 1000)
        do {
            try Task.checkCancellation()
            let opened: OpenedStore
            if let database {
                opened = .postgres(try await openDatabase(database, context: context, logger: logger))
            } else {
                context.notifier.status("recovering \(configuration.dataDirectory)")
                opened = .file(try await openStore(configuration: configuration, context: context, metrics: metrics.store))
            }
            do {
                try Task.checkCancellation()
                let auth = try await makeAuth(configuration: configuration, opened: opened, secret: secret, context: context)
                return try await assemble(
                    overrides: overrides, configuration: configuration, store: opened.store, auth: auth, policy: policy, http: http,
                    context: context, metrics: metrics, logger: logger)
            } catch {
                await opened.store.close()
                throw error
            }
        } catch {
            http?.closeListener()
            throw error
        }
    }

    private static func openStore(configuration: DaemonConfiguration, context: DaemonContext, metrics: StoreMetrics) async throws -> Store {
        let directory = configuration.dataDirectory
        do {
            if context.storage is POSIXStorage {
                // The default (~/.local/state/todod) may sit under directories that do not exist yet on a fresh
                // account: create the missing parents (0700, like the data directory the store creates).
                let parent = (directory as NSString).deletingLastPathComponent
                if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
                    try FileManager.default.createDirectory(
                        atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
                    throw DaemonError.startup("cannot open the data directory \(directory): it is not a directory", errno: ENOTDIR)
                }
            }
            var options = StoreOptions(repair: configuration.repair)
            options.metrics = metrics
            options.deferLoading = true
            return try await Store.open(
                directory: directory, backend: context.storage, clock: context.clock, options: options,
                logger: context.makeLogger("todo.store"))
        } catch let error as DaemonError {
            throw error
        } catch let error as StoreError {
            throw DaemonError.startup("cannot open the data directory \(directory): \(error)", errno: error.errno)
        } catch {
            throw DaemonError.startup("cannot open the data directory \(directory): \(error)")
        }
    }

    private static func assemble(
        overrides: DaemonOverrides, configuration: DaemonConfiguration, store: any DataStore, auth: AuthService, policy: PeerPolicy, http: DaemonHTTP?,
        context: DaemonContext, metrics: DaemonMetrics, logger: Logger
    ) async throws -> Daemon {
        let (failures, failureSink) = AsyncStream<StoreError>.makeStream()
        store.onFatalFailure { failureSink.yield($0) }
        let access = ControlAccess(policy: policy, accounts: context.accounts)
        let listener = controlListener(configuration: configuration, policy: policy, inherited: context.inheritedSockets)
        let runtime = DaemonRuntime(
            dataDirectory: configuration.dataDirectory, controlListener: listener.description, httpListener: http?.listenerDescription,
            httpBaseURL: http?.baseURL, access: access,
            settings: .init(chatRateLimit: configuration.chatRateLimit, tokenTTLSeconds: configuration.tokenTTLSeconds))
        let trigger = ShutdownTrigger()
        let handler = DaemonControlHandler(
            store: store, auth: auth, runtime: runtime, clock: context.clock, shutdown: { await trigger.trigger() },
            logger: context.makeLogger("todo.control"), metrics: metrics)
        let server: ControlServer
        var controlConfiguration = ControlServerConfiguration(listener: listener, idleTimeout: .seconds(configuration.idleTimeoutSeconds))
        controlConfiguration.metrics = metrics.control
        do {
            server = try await ControlServer.bind(
                configuration: controlConfiguration,
                handler: handler, access: access, logger: context.makeLogger("todo.control"))
        } catch {
            throw DaemonError.startup("cannot listen on the control socket \(listener.description): \(error)")
        }
        let readiness = ReadinessLatch(pending: http == nil ? [] : ["http"])
        // Every service is named here: without a name ServiceLifecycle describes the service with "\(service)",
        // a reflection walk over its whole object graph that was a quarter of start-up's CPU time (issue 11).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: ControlService(server: server), serviceName: "control")]
        if let http {
            // The HTTP face reads the model settings from the environment: hand it the resolved ones.
            var httpContext = context
            httpContext.environment = configuration.environmentWithResolvedLLM(context.environment)
            services.append(.init(service: http.makeService(
                store: store, auth: auth, runtime: runtime, context: httpContext, uiMode: configuration.uiMode, metrics: metrics,
                onReady: { await readiness.markReady("http") }),
                serviceName: "http"))
        }
        let reloader = DaemonReloader(
            overrides: overrides, initial: configuration, context: context, runtime: runtime, logger: logger)
        services += [
            .init(service: FatalFailureService(failures: failures, notifier: context.notifier, logger: logger), serviceName: "store-failure"),
            .init(service: ReloadService(reload: { await reloader.reload() }), serviceName: "reload"),
            .init(service: NotifierService(
                notifier: context.notifier, readiness: readiness,
                readyStatus: { "ready: control=\(runtime.controlListener)" + (runtime.httpListener.map { " http=\($0)" } ?? "") },
                isHealthy: { await store.failure == nil }, logger: logger),
                serviceName: "notifier"),
        ]
        // No signals here: `DaemonMain` traps SIGTERM/SIGINT from the first moment and calls `triggerShutdown()`.
        // Graceful shutdown is bounded; then the services are cancelled.
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: context.makeLogger("todo.lifecycle"))
        groupConfiguration.maximumGracefulShutdownDuration = context.shutdownLimit
        let group = ServiceGroup(configuration: groupConfiguration)
        trigger.attach(group)
        return Daemon(configuration: configuration, runtime: runtime, store: store, serviceGroup: group, logger: logger)
    }

    /// How long graceful shutdown may take before the services are cancelled.
    public static let gracefulShutdownLimit: Duration = .seconds(3)

    /// Serves until SIGTERM/SIGINT, a `shutdown` request or `triggerShutdown()`; then drains and closes the
    /// store (releasing the lock).
    /// - Throws: `DaemonError.storeFailed` when the store fail-stopped (exit non-zero for a restart).
    public func run() async throws {
        do {
            try await serviceGroup.run()
        } catch let error as DaemonError where error.isStoreFailure {
            throw error
        } catch {
            if let failure = await store.failure { throw DaemonError.storeFailed("\(failure)") }
            await store.close()
            throw DaemonError.startup("todod stopped with an error: \(error)")
        }
        if let failure = await store.failure { throw DaemonError.storeFailed("\(failure)") }
        await store.close()
        logger.info("stopped")
    }

    /// Starts a graceful shutdown (as SIGTERM would).
    public func triggerShutdown() async { await serviceGroup.triggerGracefulShutdown() }

    /// Releases a daemon that was started but will not run (a stop was requested meanwhile): closes the store,
    /// which releases the data-directory lock.
    public func discard() async {
        await store.close()
    }

    // MARK: Helpers

    static func policy(for configuration: DaemonConfiguration, accounts: any AccountDirectory) throws -> PeerPolicy {
        guard let name = configuration.allowedGroup else { return PeerPolicy(daemonUID: getuid()) }
        guard let gid = accounts.groupID(named: name) else {
            throw DaemonError.configuration("allowed group '\(name)' does not exist")
        }
        return PeerPolicy(daemonUID: getuid(), allowedGID: gid)
    }

    static func controlListener(configuration: DaemonConfiguration, policy: PeerPolicy, inherited: [InheritedSocket]) -> ControlListener {
        if let socket = inherited.first(where: { $0.name == "control" })
            ?? inherited.first(where: { $0.name != "http" && SystemdListenFDs.isUnixStreamListener($0.fd) }) {
            return .inherited(fd: socket.fd)
        }
        return .path(configuration.controlSocket, mode: policy.allowedGID == nil ? 0o600 : 0o660, groupID: policy.allowedGID)
    }
}
