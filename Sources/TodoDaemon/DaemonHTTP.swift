#if canImport(Glibc)
import Glibc
#endif
import ChatKitProtocol
import Logging
import ServiceLifecycle
import SystemdSupport
import TodoAuth
import TodoHTTP
import TodoAgent
import TodoStore
import TodoTools
import TodoUI

// MARK: - HTTP wiring

/// How the daemon runs the HTTP face (TodoHTTP): where it listens and how the service is built.
struct DaemonHTTP: Sendable {
    /// The path of the one-time login page; the code travels in the fragment (`/login#CODE`).
    static let loginPath = "/login"

    /// Where to listen.
    let bind: HTTPConfiguration.Bind
    /// `127.0.0.1:8765` or `fd:N`.
    let listenerDescription: String
    /// `http://127.0.0.1:8765`.
    let baseURL: String
    /// The descriptor todod bound itself (nil for a socket systemd passed).
    let ownedDescriptor: Int32?
    /// Concurrent streaming chat turns per user.
    let maxStreamsPerUser: Int

    /// The HTTP plan for `configuration`: an inherited `http` socket wins over `--http`; nil when HTTP is off.
    /// `--http HOST:PORT` is bound here, before any service runs, so a taken or forbidden address fails start-up
    /// at once with the address and the errno.
    /// - Throws: `DaemonError.startup` naming the address.
    static func plan(configuration: DaemonConfiguration, inherited: [InheritedSocket]) throws -> DaemonHTTP? {
        let streams = configuration.maxStreamsPerUser
        if let socket = inherited.first(where: { $0.name == "http" }) {
            let base = boundIPv4(fd: socket.fd).map { "http://\($0.host):\($0.port)" }
                ?? configuration.httpHostPort.map { "http://\($0.host):\($0.port)" } ?? "http://127.0.0.1:8765"
            return DaemonHTTP(
                bind: .inheritedDescriptor(socket.fd), listenerDescription: "fd:\(socket.fd)", baseURL: base, ownedDescriptor: nil,
                maxStreamsPerUser: streams)
        }
        guard let http = configuration.http, let bind = HTTPConfiguration.parseHostPort(http),
              case .hostPort(let host, let port) = bind else { return nil }
        let socket = try HTTPListenSocket.bind(host: host, port: port, description: http)
        let urlHost = host.contains(":") ? "[\(host)]" : host
        return DaemonHTTP(
            bind: .inheritedDescriptor(socket.fd), listenerDescription: "\(urlHost):\(socket.port)",
            baseURL: "http://\(urlHost):\(socket.port)", ownedDescriptor: socket.fd, maxStreamsPerUser: streams)
    }

    /// Closes the socket todod bound, when start-up fails before the server took it over.
    func closeListener() {
        if let ownedDescriptor { close(ownedDescriptor) }
    }
}

/// The IPv4 address and port an inherited socket is bound to (for the login URL), if it is IPv4.
private func boundIPv4(fd: Int32) -> (host: String, port: Int)? {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard rc == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
    let ip = UInt32(bigEndian: address.sin_addr.s_addr)
    let host = "\(ip >> 24).\((ip >> 16) & 255).\((ip >> 8) & 255).\(ip & 255)"
    return (host == "0.0.0.0" ? "127.0.0.1" : host, Int(UInt16(bigEndian: address.sin_port)))
}

// MARK: - Service

extension DaemonHTTP {
    /// Builds the HTTP service with the LLM agent (configured from the environment, or a responder that
    /// explains how to configure it), the MCP endpoint and `GET /metrics` from `metrics`; `onReady` runs once it
    /// accepts connections.
    func makeService(
        store: any DataStore, auth: AuthService, runtime: DaemonRuntime, context: DaemonContext, uiMode: UIMode,
        metrics: DaemonMetrics, onReady: @escaping @Sendable () async -> Void
    ) -> any Service {
        let llm = LLMConfiguration.fromEnvironment(context.environment)
        let responder = makeResponder(
            configuration: llm, tasks: store, clock: context.clock, logger: context.makeLogger("todo.agent"), metrics: metrics.agent)
        let mcp = MCPHTTPEndpoint(repository: store, clock: context.clock, logger: context.makeLogger("todo.mcp"))
        var dependencies = HTTPDependencies(
            tasks: store, threads: store, auth: auth, responder: responder, clock: context.clock,
            logger: context.makeLogger("todo.http"), mcpEndpoint: mcp)
        dependencies.metrics = metrics.http
        dependencies.metricsExposition = { await metrics.exposition(store: store) }
        let configuration = HTTPConfiguration(
            bind: bind, chatRateLimitPerMinute: runtime.settings.chatRateLimit, maxConcurrentStreamsPerUser: maxStreamsPerUser)
        let server = HTTPServer(configuration: configuration, dependencies: dependencies, uiMode: uiMode, onListening: { _ in await onReady() })
        return HTTPWithMCPService(server: server, mcp: mcp)
    }
}

/// Runs the HTTP server and closes the MCP sessions once it has stopped (graceful shutdown or error).
private struct HTTPWithMCPService: Service {
    let server: HTTPServer
    let mcp: MCPHTTPEndpoint

    func run() async throws {
        do {
            try await server.run()
        } catch {
            await mcp.shutdown()
            throw error
        }
        await mcp.shutdown()
    }
}

extension DaemonConfiguration {
    /// The web UI's chat panel for `ui` (`builtin` or `chatkit` with `chatkitDomainKey`).
    var uiMode: UIMode {
        ui == "chatkit" ? .chatkit(domainKey: chatkitDomainKey) : .builtin
    }
}
