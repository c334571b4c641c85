import Hummingbird
import HummingbirdTesting
import Logging
import ChatKitProtocol
import TodoAuth
import TodoCore
import TodoHTTP
import TodoStore
import TodoTesting
import TodoTools
import Testing
import NIOCore
import HTTPTypes
import Foundation

// MARK: - Harness

/// A store in a temp directory, an auth service and the full router, for `.router` / `.live` tests.
struct HTTPTestHarness {
    static let secret = Array("test-secret-0123456789abcdef-0123456789".utf8)
    /// The router test framework always sends `Host: localhost`; the harness allows it explicitly.
    static let authority = "localhost"

    let directory: String
    let store: Store
    let auth: AuthService
    let configuration: HTTPConfiguration
    let responder: any Responder
    let mcp: MCPHTTPEndpoint
    /// The clock `RequestDateContext` reads "now" from.
    var clock: any WallClock = SystemWallClock()
    /// The daemon's zone (requests without `X-Time-Zone`).
    var timeZone: TimeZone = .current

    /// - Parameter backend: the disk under the store (`SimulatedDisk` for fault injection).
    static func make(responder: any Responder = ScriptedEchoResponder(), configuration: HTTPConfiguration = HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0), directory: String? = nil, backend: any StorageBackend = POSIXStorage()) async throws -> HTTPTestHarness {
        let dir = directory ?? (NSTemporaryDirectory() + "todod-http-\(UUID().uuidString)")
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store = try await Store.open(directory: dir, backend: backend, logger: logger)
        let auth = try AuthService(secret: secret, clock: SystemWallClock())
        return HTTPTestHarness(directory: dir, store: store, auth: auth, configuration: configuration, responder: responder,
                               mcp: MCPHTTPEndpoint(repository: store, logger: logger))
    }

    var dependencies: HTTPDependencies {
        var logger = Logger(label: "test.http")
        logger.logLevel = .warning
        return HTTPDependencies(tasks: store, threads: store, auth: auth, responder: responder, clock: clock, logger: logger, mcpEndpoint: mcp,
                                timeZone: timeZone)
    }

    func application() -> some ApplicationProtocol {
        Application(router: HTTPServer.makeRouter(configuration: configuration, dependencies: dependencies))
    }

    /// Runs `body` against the in-process router.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await application().test(.router, body)
    }

    func token(_ user: String = "alice") async throws -> String {
        try await auth.issueToken(for: try UserID(user), ttlSeconds: 3600)
    }
}

// MARK: - Requests

extension TestClientProtocol {
    /// POST /api/chatkit with a bearer token and our Host.
    func chatkit(_ body: String, token: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)"]
        headers.append(contentsOf: extra)
        return try await execute(uri: "/api/chatkit", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Any request with our Host.
    func call(_ uri: String, _ method: HTTPRequest.Method, token: String? = nil, headers extra: HTTPFields = [:], body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = body == nil ? [:] : [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: JSONValue { (try? JSONValue.parse(Array(body.readableBytesView))) ?? .null }
    /// The SSE events of a ChatKit stream (`data: <json>` frames).
    var events: [JSONValue] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.compactMap { frame in
            guard frame.hasPrefix("data: ") else { return nil }
            return try? JSONValue.parse(String(frame.dropFirst(6)))
        }
    }
}

// MARK: - Normalization for golden comparisons

/// Replaces ids and timestamps by placeholders so streams from different runs compare equal, and drops
/// todod's tool badge (`ChatKitWire.toolBadgeKey`), an extension the reference captures do not have.
func normalized(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let fields):
        return .object(fields.filter { $0.0 != ChatKitWire.toolBadgeKey }.map { key, v in
            switch key {
            case "id", "item_id", "thread_id", "after", "call_id": return (key, v.stringValue.map { .string(String($0.prefix { $0 != "_" }) + "_*") } ?? v)
            case "created_at": return (key, "*")
            default: return (key, normalized(v))
            }
        })
    case .array(let items): return .array(items.map(normalized))
    default: return value
    }
}

/// The JSON events (de-chunked body) of a capture file in `Fixtures/`, or its JSON response body.
func captureBody(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "txt"))
    let text = try String(contentsOf: url, encoding: .utf8)
    if let range = text.range(of: "=== RESPONSE BODY (de-chunked") {
        let after = text[range.upperBound...].drop { $0 != "\n" }.dropFirst()
        let end = after.range(of: "\n=== HTTP CHUNKS")?.lowerBound ?? after.endIndex
        return String(after[..<end])
    }
    // JSON response: the last line of the raw response.
    return String(text.split(whereSeparator: \.isNewline).last ?? "")
}

func captureEvents(_ name: String) throws -> [JSONValue] {
    try captureBody(name).components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") }.map {
        try JSONValue.parse(String($0.dropFirst(6)).trimmingCharacters(in: .newlines))
    }
}
