import Logging
import ServiceLifecycle
import SystemdSupport
import TodoAuth
import TodoHTTP
import TodoStore

// MARK: - HTTP wiring

/// How the daemon runs the HTTP face (TodoHTTP): where it listens and how the service is built.
struct DaemonHTTP: Sendable {
    /// The path of the one-time login URL that `todoctl open` prints.
    static let loginPath = "/login"

    /// Where to listen.
    let bind: HTTPConfiguration.Bind
    /// `127.0.0.1:8765` or `fd:N`.
    let listenerDescription: String
    /// `http://127.0.0.1:8765`.
    let baseURL: String

    /// The HTTP plan for `configuration`: an inherited `http` socket wins over `--http`; nil when HTTP is off.
    static func plan(configuration: DaemonConfiguration, inherited: [InheritedSocket]) -> DaemonHTTP? {
        guard isWired else { return nil }
        if let socket = inherited.first(where: { $0.name == "http" }) {
            let base = configuration.httpHostPort.map { "http://\($0.host):\($0.port)" } ?? "http://127.0.0.1:8765"
            return DaemonHTTP(bind: .inheritedDescriptor(socket.fd), listenerDescription: "fd:\(socket.fd)", baseURL: base)
        }
        guard let http = configuration.http, let bind = HTTPConfiguration.parseHostPort(http),
              case .hostPort(let host, let port) = bind else { return nil }
        let urlHost = host.contains(":") ? "[\(host)]" : host
        return DaemonHTTP(bind: bind, listenerDescription: http, baseURL: "http://\(urlHost):\(port)")
    }
}

// MARK: - Service

extension DaemonHTTP {
    /// Whether TodoHTTP's server is wired in (it is being written in parallel; until then HTTP is off).
    static let isWired = false

    /// Builds the HTTP service; `onReady` runs once it accepts connections.
    func makeService(
        store: Store, auth: AuthService, runtime: DaemonRuntime, context: DaemonContext, onReady: @escaping @Sendable () async -> Void
    ) async throws -> any Service {
        throw DaemonError.startup("the HTTP server is not wired into todod yet")
    }
}
