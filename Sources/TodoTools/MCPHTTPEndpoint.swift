public import Foundation
public import Logging
import MCP
import Synchronization
public import TodoCore

// MARK: - Framework-agnostic HTTP values

/// One HTTP request to `/mcp`, as the HTTP layer hands it over (so TodoHTTP needs no `import MCP`).
public struct MCPHTTPRequest: Sendable {
    /// `POST`, `GET` or `DELETE`.
    public var method: String
    /// Request headers (names in any case; later duplicates win).
    public var headers: [String: String]
    /// The body (at most the HTTP layer's limit).
    public var body: [UInt8]

    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - headers: the headers.
    ///   - body: the collected body.
    public init(method: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// The answer: a status, headers, and either a complete body or an SSE stream to forward chunk by chunk.
public struct MCPHTTPResponse: Sendable {
    /// The body.
    public enum Body: Sendable {
        /// A complete body (may be empty).
        case bytes([UInt8])
        /// `text/event-stream` chunks; the response ends when the stream finishes.
        case stream(AsyncThrowingStream<[UInt8], any Error>)
    }

    /// The HTTP status.
    public var status: Int
    /// Response headers (`Content-Type`, `MCP-Session-Id`, ...).
    public var headers: [String: String]
    /// The body.
    public var body: Body
}

// MARK: - MCPHTTPEndpoint

/// `POST/GET/DELETE /mcp`: MCP streamable HTTP (swift-sdk `StatefulHTTPServerTransport`), one MCP
/// server per session, each bound to the user authenticated when the session was initialized.
///
/// A session can only be used by the user who created it (another user's session id answers 404).
/// The HTTP layer authenticates the bearer token and checks Host/Origin first, then calls:
///
/// ```swift
/// // TodoHTTP, in the /mcp route (POST, GET and DELETE), after auth gave `user`:
/// let body = try await request.body.collect(upTo: context.maxUploadSize)
/// let reply = await mcpEndpoint.handle(MCPHTTPRequest(method: request.method.rawValue,
///     headers: Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { _, b in b }),
///     body: Array(buffer: body)), user: user)
/// // status + headers as given; .bytes(b) -> ByteBuffer(bytes: b); .stream(s) -> ResponseBody { writer in
/// //   for try await chunk in s { try await writer.write(ByteBuffer(bytes: chunk)) }; try await writer.finish(nil) }
/// ```
public actor MCPHTTPEndpoint {
    private struct Session {
        let user: UserID
        let server: Server
        let transport: StatefulHTTPServerTransport
        let zone: SessionZone
        let resources: TaskResourceSubscriptions
        var lastUsed: ContinuousClock.Instant
    }

    private let repository: any TaskRepository
    private let clock: any WallClock
    private let defaultZone: TimeZone
    private let logger: Logger
    private let maxSessions: Int
    private let idleTimeout: Duration
    private var sessions: [String: Session] = [:]

    /// - Parameters:
    ///   - repository: the task store.
    ///   - maxSessions: open sessions kept at most (the least recently used is closed first).
    ///   - idleTimeout: sessions unused this long are closed.
    ///   - clock: the daemon's clock ("now" for dates in words).
    ///   - defaultZone: the daemon's zone, for requests without an `X-Time-Zone` header.
    ///   - logger: where session events are logged.
    public init(repository: any TaskRepository, maxSessions: Int = 256, idleTimeout: Duration = .seconds(3600),
                clock: any WallClock = SystemWallClock(), defaultZone: TimeZone = .current, logger: Logger) {
        self.repository = repository
        self.clock = clock
        self.defaultZone = defaultZone
        self.maxSessions = maxSessions
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// The number of open sessions.
    public var sessionCount: Int { sessions.count }

    /// Handles one request for the authenticated `user`.
    ///
    /// The tools read dates in the zone of the `X-Time-Zone` header (an IANA name); a session remembers the
    /// last zone it was sent and starts in the daemon's zone. An unknown zone is answered 422 naming `time_zone`.
    /// - Parameters:
    ///   - request: the HTTP request.
    ///   - user: the user the bearer token authenticated.
    public func handle(_ request: MCPHTTPRequest, user: UserID) async -> MCPHTTPResponse {
        let httpRequest = HTTPRequest(method: request.method.uppercased(), headers: request.headers,
                                      body: request.body.isEmpty ? nil : Data(request.body), path: "/mcp")
        var zone: TimeZone?
        if let name = request.headers.first(where: { $0.key.lowercased() == "x-time-zone" })?.value {
            do { zone = try DateContext.zone(named: name, field: "time_zone") } catch {
                return Self.convert(.error(statusCode: 422, .invalidParams("Invalid time_zone: \(error)")))
            }
        }
        if let id = httpRequest.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id], session.user == user else {
                return Self.convert(.error(statusCode: 404, .invalidRequest("Not Found: Session not found or expired")))
            }
            session.lastUsed = .now
            sessions[id] = session
            if let zone { session.zone.set(zone) }
            let response = await session.transport.handleRequest(httpRequest)
            if httpRequest.method == "DELETE", response.statusCode == 200 {
                sessions[id] = nil
                await session.resources.stop()
                await session.server.stop()
            }
            return Self.convert(response)
        }
        guard httpRequest.method == "POST", Self.isInitialize(request.body) else {
            return Self.convert(.error(statusCode: 400, .invalidRequest("Bad Request: Missing \(HTTPHeaderName.sessionID) header (send initialize first)")))
        }
        await evictSessions()
        var rng = SystemRandomNumberGenerator()
        let id = "mcp_" + randomToken(length: 32, using: &rng)  // TodoCore's one id generator
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: id),
            // Host/Origin are checked by the HTTP layer for every route.
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
            ]))
        let sessionZone = SessionZone(zone ?? defaultZone)
        let clock = self.clock
        let toolbox = TaskToolbox(repository: repository, user: user, context: { DateContext(now: clock.now(), zone: sessionZone.get()) })
        let resources = TaskResourceSubscriptions(repository: repository, user: user)
        let server = await TaskToolServer.makeServer(toolbox: toolbox, subscriptions: resources)
        do {
            try await server.start(transport: transport)
        } catch {
            return Self.convert(.error(statusCode: 500, .internalError("could not start the MCP session: \(error)")))
        }
        let response = await transport.handleRequest(httpRequest)
        if response.statusCode == 200 {
            sessions[id] = Session(user: user, server: server, transport: transport, zone: sessionZone, resources: resources, lastUsed: .now)
            logger.info("MCP session opened", metadata: ["todo.user": .string(user.rawValue), "todo.mcp.session": .string(id)])
        } else {
            await resources.stop()
            await server.stop()
        }
        return Self.convert(response)
    }

    /// `POST /mcp` answered with one JSON body instead of an SSE stream (the shape TodoHTTP's
    /// `MCPHTTPHandler` asks for; streamable HTTP allows `application/json` answers to POSTs).
    ///
    /// TodoDaemon makes the endpoint a `MCPHTTPHandler` with `extension MCPHTTPEndpoint: MCPHTTPHandler {}`.
    /// - Parameters:
    ///   - body: the JSON-RPC message bytes.
    ///   - user: the authenticated user.
    ///   - sessionID: the `Mcp-Session-Id` header, if any.
    ///   - timeZone: the `X-Time-Zone` header, if any.
    /// - Returns: status, content type, body and the session id to send back.
    public func handle(body: [UInt8], user: UserID, sessionID: String?, timeZone: String? = nil) async -> (status: Int, contentType: String, body: [UInt8], sessionID: String?) {
        var headers = ["Accept": "application/json, text/event-stream", "Content-Type": "application/json"]
        if let sessionID { headers[HTTPHeaderName.sessionID] = sessionID }
        if let timeZone { headers["X-Time-Zone"] = timeZone }
        let reply = await handle(MCPHTTPRequest(method: "POST", headers: headers, body: body), user: user)
        let session = reply.headers.first { $0.key.lowercased() == "mcp-session-id" }?.value ?? sessionID
        switch reply.body {
        case .bytes(let bytes):
            return (reply.status, "application/json", bytes, session)
        case .stream(let stream):
            var sse: [UInt8] = []
            do {
                for try await chunk in stream { sse += chunk }
            } catch {
                return (500, "application/json", Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"MCP stream failed"}}"#.utf8), session)
            }
            return (200, "application/json", Self.lastMessage(inSSE: sse), session)
        }
    }

    /// The last non-empty `data:` payload of an SSE body (the JSON-RPC response).
    static func lastMessage(inSSE bytes: [UInt8]) -> [UInt8] {
        var last: Substring = ""
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            guard line.hasPrefix("data:") else { continue }
            let payload = line.dropFirst(5).drop { $0 == " " }
            if !payload.isEmpty { last = payload }
        }
        return Array(last.utf8)
    }

    /// Closes every session (on shutdown).
    public func shutdown() async {
        let all = sessions.values
        sessions.removeAll()
        for session in all {
            await session.resources.stop()
            await session.server.stop()
        }
    }

    // MARK: - Helpers

    private func evictSessions() async {
        let now = ContinuousClock.now
        var doomed = sessions.filter { now - $0.value.lastUsed > idleTimeout }.map(\.key)
        if sessions.count - doomed.count >= maxSessions {
            let live = sessions.filter { !doomed.contains($0.key) }.sorted { $0.value.lastUsed < $1.value.lastUsed }
            doomed += live.prefix(sessions.count - doomed.count - maxSessions + 1).map(\.key)
        }
        for id in doomed {
            if let session = sessions.removeValue(forKey: id) {
                await session.resources.stop()
                await session.server.stop()
            }
        }
    }

    private static func isInitialize(_ body: [UInt8]) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return false }
        return object["method"] as? String == "initialize" && object["id"] != nil
    }

    private static func convert(_ response: HTTPResponse) -> MCPHTTPResponse {
        switch response {
        case .stream(let stream, let headers):
            let bytes = AsyncThrowingStream<[UInt8], any Error> { continuation in
                let task = Task {
                    do {
                        for try await chunk in stream { continuation.yield(Array(chunk)) }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in task.cancel() }
            }
            return MCPHTTPResponse(status: 200, headers: headers, body: .stream(bytes))
        default:
            return MCPHTTPResponse(status: response.statusCode, headers: response.headers, body: .bytes(Array(response.bodyData ?? Data())))
        }
    }
}

/// The zone one MCP session's tools read dates in (the last `X-Time-Zone` it was sent).
private final class SessionZone: Sendable {
    private let zone: Mutex<TimeZone>
    init(_ zone: TimeZone) { self.zone = Mutex(zone) }
    func get() -> TimeZone { zone.withLock { $0 } }
    func set(_ new: TimeZone) { zone.withLock { $0 = new } }
}

private struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}
