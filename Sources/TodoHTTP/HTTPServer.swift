public import Hummingbird
public import ServiceLifecycle
public import TodoUI
import ChatKitProtocol
import Logging
import NIOCore

// MARK: - HTTPServer

/// The daemon's HTTP face as a ServiceLifecycle `Service`: binds `127.0.0.1:8765` (or serves an inherited
/// systemd socket), and shuts down gracefully with the group (SSE streams end cleanly).
public struct HTTPServer: Service {
    private let configuration: HTTPConfiguration
    private let dependencies: HTTPDependencies
    private let uiMode: UIMode
    private let onListening: @Sendable (String) async -> Void
    private let hosts: HostPolicy

    /// - Parameters:
    ///   - configuration: bind address and limits.
    ///   - dependencies: repositories, auth, responder, clock, logger.
    ///   - uiMode: which chat UI the pages use.
    ///   - onListening: called once the listener accepts connections, with `host:port` or `fd:N`
    ///     (send READY=1 from here).
    public init(
        configuration: HTTPConfiguration, dependencies: HTTPDependencies, uiMode: UIMode = .builtin,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.dependencies = dependencies
        self.uiMode = uiMode
        self.onListening = onListening
        let port: Int
        if case .hostPort(_, let p) = configuration.bind { port = p } else { port = -1 }
        self.hosts = HostPolicy(port: port, extra: configuration.allowedHosts)
    }

    /// Serves until graceful shutdown (or cancellation).
    public func run() async throws {
        let router = Self.buildRouter(configuration: configuration, dependencies: dependencies, uiMode: uiMode, hosts: hosts)
        let hosts = self.hosts
        let onListening = self.onListening
        switch configuration.bind {
        case .hostPort(let host, let port):
            let app = Application(
                router: router,
                configuration: .init(address: .hostname(host, port: port), serverName: nil),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? port
                    hosts.setPort(bound)
                    await onListening("\(host):\(bound)")
                },
                logger: dependencies.logger
            )
            try await app.run()
        case .inheritedDescriptor(let fd):
            let server = InheritedSocketServer(descriptor: fd, responder: router.buildResponder(), logger: dependencies.logger) { port in
                hosts.setPort(port)
                await onListening("fd:\(fd)")
            }
            try await server.run()
        }
    }

    // MARK: Router

    /// The full router, for tests (`HummingbirdTesting` `.router` / `.live`) and the server itself.
    /// The Host allow-list uses the port of `configuration.bind` (8765 by default).
    /// - Parameters:
    ///   - configuration: limits and allowed hosts.
    ///   - dependencies: repositories, auth, responder, clock, logger.
    ///   - uiMode: which chat UI the pages use.
    public static func makeRouter(configuration: HTTPConfiguration, dependencies: HTTPDependencies, uiMode: UIMode = .builtin) -> Router<TodoRequestContext> {
        let port: Int
        if case .hostPort(_, let p) = configuration.bind { port = p } else { port = -1 }
        return buildRouter(configuration: configuration, dependencies: dependencies, uiMode: uiMode, hosts: HostPolicy(port: port, extra: configuration.allowedHosts))
    }

    static func buildRouter(configuration: HTTPConfiguration, dependencies: HTTPDependencies, uiMode: UIMode, hosts: HostPolicy) -> Router<TodoRequestContext> {
        let router = Router(context: TodoRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: APIErrorMiddleware(logger: dependencies.logger))
        router.add(middleware: SecurityMiddleware(hosts: hosts, auth: dependencies.auth))
        let limiter = TurnLimiter(
            perMinute: configuration.chatRateLimitPerMinute, maxConcurrent: configuration.maxConcurrentStreamsPerUser, clock: dependencies.clock)
        let chatkit = ChatKitServer(
            threads: dependencies.threads, responder: dependencies.responder, clock: dependencies.clock, limiter: limiter,
            logger: dependencies.logger, maxMessageBytes: configuration.maxMessageBytes, turnTimeoutSeconds: configuration.turnTimeoutSeconds,
            metrics: dependencies.metrics, tasks: dependencies.tasks)
        addChatRoutes(to: router, chatkit: chatkit, maxBody: configuration.maxBodyBytes, defaultZone: dependencies.timeZone)
        addTaskRoutes(to: router, dependencies: dependencies, maxBody: configuration.maxBodyBytes)
        addCalendarRoutes(to: router, dependencies: dependencies)
        addSessionRoutes(to: router, auth: dependencies.auth)
        addEventRoutes(to: router, tasks: dependencies.tasks, metrics: dependencies.metrics)
        addMetricsRoute(to: router, exposition: dependencies.metricsExposition)
        addStaticRoutes(to: router, mode: uiMode)
        router.get("/api/openapi.json") { _, _ in jsonResponse(OpenAPIDocument.document) }
        if let mcp = dependencies.mcpEndpoint {
            addMCPRoutes(to: router, endpoint: mcp, maxBody: configuration.maxBodyBytes)
        }
        return router
    }
}
