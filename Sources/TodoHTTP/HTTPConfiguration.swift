public import Foundation
public import TodoCore
public import TodoAuth
public import ChatKitProtocol
public import Logging
public import TodoTools

// MARK: - HTTPConfiguration

/// How the HTTP server listens and what it allows. Every field has a default.
public struct HTTPConfiguration: Sendable {
    /// Where to listen.
    public enum Bind: Sendable, Hashable {
        /// Bind a TCP address ourselves (port 0 picks a free port).
        case hostPort(String, Int)
        /// Serve an already listening socket inherited from systemd (`LISTEN_FDS`).
        case inheritedDescriptor(Int32)
    }

    /// Where to listen; default `127.0.0.1:8765`.
    public var bind: Bind
    /// Extra allowed `Host` values (exact, with port, e.g. `todo.local:8765`). Loopback names and
    /// addresses with our port are always allowed.
    public var allowedHosts: [String]
    /// Chat turns per minute per user; 0 turns the limit off.
    public var chatRateLimitPerMinute: Int
    /// Concurrent streaming turns per user.
    public var maxConcurrentStreamsPerUser: Int
    /// Longest turn, in seconds, before it ends with a retryable error.
    public var turnTimeoutSeconds: Int
    /// Largest request body in bytes (413 above).
    public var maxBodyBytes: Int
    /// Longest user message in bytes (422 above).
    public var maxMessageBytes: Int

    /// - Parameters:
    ///   - bind: where to listen.
    ///   - allowedHosts: extra allowed Host values.
    ///   - chatRateLimitPerMinute: turns per minute per user (0 = off).
    ///   - maxConcurrentStreamsPerUser: concurrent streams per user.
    ///   - turnTimeoutSeconds: turn timeout.
    ///   - maxBodyBytes: body limit.
    ///   - maxMessageBytes: message limit.
    public init(
        bind: Bind = .hostPort("127.0.0.1", 8765), allowedHosts: [String] = [], chatRateLimitPerMinute: Int = 20,
        maxConcurrentStreamsPerUser: Int = 16, turnTimeoutSeconds: Int = 300, maxBodyBytes: Int = 1 << 20,
        maxMessageBytes: Int = 16 << 10
    ) {
        self.bind = bind
        self.allowedHosts = allowedHosts
        self.chatRateLimitPerMinute = chatRateLimitPerMinute
        self.maxConcurrentStreamsPerUser = maxConcurrentStreamsPerUser
        self.turnTimeoutSeconds = turnTimeoutSeconds
        self.maxBodyBytes = maxBodyBytes
        self.maxMessageBytes = maxMessageBytes
    }

    /// Parses `HOST:PORT` (`[::1]:8765` for IPv6) as given to `--http` / `TODOD_HTTP`.
    /// - Parameter text: the address.
    /// - Returns: nil when it is not `HOST:PORT` with a port in 0...65535.
    public static func parseHostPort(_ text: String) -> Bind? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return .hostPort(host, port)
    }
}

// MARK: - HTTPDependencies

/// What the HTTP server needs from the rest of the daemon.
public struct HTTPDependencies: Sendable {
    /// Every task operation.
    public var tasks: any TaskRepository
    /// ChatKit threads and items.
    public var threads: any ThreadRepository
    /// Tokens, login codes and sessions.
    public var auth: AuthService
    /// Answers chat turns (the LLM agent, or `UnconfiguredResponder`).
    public var responder: any Responder
    /// Time for timestamps and rate limits.
    public var clock: any WallClock
    /// The daemon's zone: what "today" means for a request without `X-Time-Zone` (see `RequestDateContext`).
    public var timeZone: TimeZone
    /// The server's logger (`todo.http`).
    public var logger: Logger
    /// MCP streamable HTTP at `POST/GET/DELETE /mcp` (TodoTools), authenticated like every `/api` route.
    public var mcpEndpoint: MCPHTTPEndpoint?
    /// Request, turn and stream instruments (records nothing unless the daemon sets its own).
    public var metrics: HTTPMetrics = .disabled
    /// The Prometheus text served at `GET /metrics`; nil serves an empty one.
    public var metricsExposition: (@Sendable () async -> [UInt8])?

    /// - Parameters:
    ///   - tasks: the task repository.
    ///   - threads: the thread repository.
    ///   - auth: the auth service.
    ///   - responder: the responder.
    ///   - clock: the clock.
    ///   - logger: the logger.
    ///   - mcpEndpoint: MCP over HTTP; nil leaves `/mcp` unrouted (404).
    ///   - timeZone: the daemon's zone (default `TimeZone.current`).
    public init(
        tasks: any TaskRepository, threads: any ThreadRepository, auth: AuthService, responder: any Responder,
        clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "todo.http"), mcpEndpoint: MCPHTTPEndpoint? = nil,
        timeZone: TimeZone = .current
    ) {
        self.tasks = tasks
        self.threads = threads
        self.auth = auth
        self.responder = responder
        self.clock = clock
        self.logger = logger
        self.mcpEndpoint = mcpEndpoint
        self.timeZone = timeZone
    }
}
