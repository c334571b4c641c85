import Testing
import Foundation
import Glibc
import ChatKitProtocol
import TodoCore
import TodoHTTP
import TodoStore

/// Runs blocking socket/process work on a plain thread, never on the cooperative pool
/// (the in-process server's handlers need those threads).
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

// MARK: - The real listener (HTTPServer as a Service on a free port)

/// Runs `HTTPServer` on 127.0.0.1 port 0 and calls `body` with the bound port.
func withLiveServer(_ h: HTTPTestHarness, _ body: @Sendable (Int) async throws -> Void) async throws {
    let (addresses, continuation) = AsyncStream<String>.makeStream()
    var configuration = h.configuration
    configuration.bind = .hostPort("127.0.0.1", 0)
    let server = HTTPServer(configuration: configuration, dependencies: h.dependencies, onListening: { continuation.yield($0) })
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        let port = try #require(Int(address.split(separator: ":").last ?? ""))
        try await body(port)
        group.cancelAll()
    }
}

/// A raw HTTP/1.1 exchange over a socket (so tests can send any Host header, or hang up early).
final class RawHTTPConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
        // Every read waits for a marker that should come; the bound only ends a real hang (on two loaded
        // cores a graceful shutdown has taken over 5 s to reach the client).
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } }

    /// Reads until `marker` appears (or EOF/timeout); returns everything read.
    func read(until marker: String) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !String(decoding: data, as: UTF8.self).contains(marker) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }

    func close() { Glibc.close(fd) }

    static func request(_ method: String, _ path: String, host: String, token: String? = nil, body: String = "") -> String {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: \(host)", "Content-Type: application/json", "Content-Length: \(body.utf8.count)", "Connection: close"]
        if let token { lines.append("Authorization: Bearer \(token)") }
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }
}

@Suite("Live HTTP listener")
struct LiveServerTests {
    @Test("Host allow-list (DNS rebinding): loopback names with our port pass, anything else 403 JSON")
    func hostAllowList() async throws {
        let h = try await HTTPTestHarness.make(configuration: HTTPConfiguration(allowedHosts: ["todo.example:1234"]))
        try await withLiveServer(h) { port in
            for (host, expected) in [("127.0.0.1:\(port)", "200"), ("localhost:\(port)", "200"), ("[::1]:\(port)", "200"), ("todo.example:1234", "200"),
                                     ("evil.example:\(port)", "403"), ("127.0.0.1:\(port + 1)", "403"), ("localhost", "403"), ("127.0.0.1.evil.example:\(port)", "403")] {
                let response = try await offPool {
                    let c = try RawHTTPConnection(port: port)
                    defer { c.close() }
                    c.send(RawHTTPConnection.request("GET", "/healthz", host: host))
                    return c.read(until: "\r\n\r\n{")
                }
                #expect(response.hasPrefix("HTTP/1.1 \(expected)"), "Host \(host): \(response.prefix(40))")
                if expected == "403" { #expect(response.contains("\"code\":\"forbidden\"")) }
            }
        }
    }

    @Test("A client that hangs up mid-stream cancels the responder; the streamed part is kept")
    func disconnectCancelsTurn() async throws {
        let deltas = (0..<40).map { ResponderEvent.textDelta("word\($0) ") }
        let responder = ScriptedResponder(events: deltas, delayMilliseconds: 50)
        let h = try await HTTPTestHarness.make(responder: responder)
        let token = try await h.token()
        try await withLiveServer(h) { port in
            let seen = try await offPool {
                let c = try RawHTTPConnection(port: port)
                defer { c.close() }
                c.send(RawHTTPConnection.request("POST", "/api/chatkit", host: "127.0.0.1:\(port)", token: token, body: ChatKitGoldenTests.create))
                return c.read(until: "word2 ")
            }
            #expect(seen.contains("thread.created"))
            let thread = try #require(seen.components(separatedBy: "\"thread\":{\"id\":\"").dropFirst().first?.prefix { $0 != "\"" })
            // Give the server a moment to notice and save the partial message.
            var items: JSONValue = .null
            for _ in 0..<40 {
                try await Task.sleep(for: .milliseconds(100))
                let page = try await h.store.items(threadID: String(thread), for: try UserID("alice"), page: .init(after: nil, limit: 10, order: .asc))
                if page.data.count == 2 { items = try JSONValue.parse(page.data[1].payload); break }
            }
            let text = items["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(text.hasPrefix("word0 word1 word2 "), "partial text kept: \(text)")
            #expect(!text.contains("word39"), "the turn stopped early")
            #expect(responder.inputs.wasCancelled)
        }
    }

    /// The external checker and its Python, when both are on this machine: `../shared/chatkit` next to the
    /// package (or `TODOD_CHATKIT_DIR`) and `.build/venv-chatkit` (made by `.ci/conformance.sh`, or
    /// `TODOD_CHATKIT_PYTHON`). Without them the test is reported as skipped, never as passed.
    static let conformanceTools: (script: String, python: String)? = {
        let env = ProcessInfo.processInfo.environment
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = env["TODOD_CHATKIT_DIR"] ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/chatkit").path
        let script = dir + "/conformance.py"
        let python = env["TODOD_CHATKIT_PYTHON"] ?? packageRoot.appendingPathComponent(".build/venv-chatkit/bin/python").path
        guard FileManager.default.fileExists(atPath: script), FileManager.default.fileExists(atPath: python) else { return nil }
        return (script, python)
    }()

    @Test("conformance.py --strict passes", .enabled(if: conformanceTools != nil, "needs ../shared/chatkit and .build/venv-chatkit"))
    func conformance() async throws {
        let (script, python) = try #require(Self.conformanceTools)
        let h = try await HTTPTestHarness.make()
        let token = try await h.token("conformance")
        try await withLiveServer(h) { port in
            let (output, status) = try await offPool {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: python)
                process.arguments = [script, "--url", "http://127.0.0.1:\(port)/api/chatkit", "--token", token, "--strict"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return (output, process.terminationStatus)
            }
            let failures = output.split(separator: "\n").filter { $0.hasPrefix("FAIL") || $0.hasPrefix("WARN") }
            #expect(status == 0, "\(failures.joined(separator: "\n"))")
            #expect(output.contains(" passed, 0 failed"))
            print("conformance.py --strict: \(output.split(separator: "\n").suffix(2).joined(separator: "; "))")
        }
    }
}
