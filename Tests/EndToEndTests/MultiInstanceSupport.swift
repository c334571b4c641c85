#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import TodoControl
import TodoCore
import TodoTesting

// MARK: - Several real todod processes on one PostgreSQL database

/// Whether the PostgreSQL end-to-end tests run: a test database is configured, or `TODOD_REQUIRE_POSTGRES=1`
/// (then a missing database fails the tests instead of skipping them).
let postgresEndToEndEnabled = PostgresTestDatabase.isConfigured || PostgresTestDatabase.isRequired

/// One `todod` on a PostgreSQL database (`TODOD_DATABASE_URL`), HTTP on a free loopback port, no chat rate limit.
struct PGInstance: Sendable {
    let daemon: DaemonProcess
    let port: Int
    let name: String

    var control: ControlClient { ControlClient(socketPath: daemon.socketPath) }

    /// Starts it and waits until the control socket and HTTP answer (start-up includes opening the database).
    /// - Parameters:
    ///   - root: its own directory (data directory and control socket).
    ///   - databaseURL: the shared database.
    ///   - llm: a scripted model's base URL, or nil.
    ///   - ownSecret: true: no `BETTER_AUTH_SECRET`, so the auth secret is shared through the database.
    static func start(_ name: String, root: String, databaseURL: String, llm: String? = nil, ownSecret: Bool = false) async throws -> PGInstance {
        // A free port can be taken by another process (a test cluster's postmaster) before todod binds it: try again.
        for attempt in 1... {
            do {
                return try await startOnce(name, root: root, databaseURL: databaseURL, llm: llm, ownSecret: ownSecret)
            } catch where attempt < 3 && "\(error)".contains("EADDRINUSE") {
                continue
            }
        }
        fatalError("unreachable")
    }

    private static func startOnce(_ name: String, root: String, databaseURL: String, llm: String?, ownSecret: Bool) async throws -> PGInstance {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        var env = ["TODOD_DATABASE_URL": databaseURL]
        if let llm {
            env["TODOD_LLM_BASE_URL"] = llm
            env["TODOD_LLM_API_KEY"] = "scripted-key"
            env["TODOD_LLM_MODEL"] = "scripted"
        }
        let daemon = try DaemonProcess(
            root: root, extraArguments: ["--http", "127.0.0.1:\(port)", "--chat-rate-limit", "0", "--log-level", "warning"],
            environment: env, unsetting: ownSecret ? ["BETTER_AUTH_SECRET"] : [])
        try await daemon.waitUntilReady(timeout: .seconds(60))
        try await waitForLoopbackHTTP(port: port, timeout: .seconds(30))
        return PGInstance(daemon: daemon, port: port, name: name)
    }

    /// A bearer token issued through this instance's control socket.
    func token() async throws -> String {
        try await control.call(ControlMethods.IssueToken.self, IssueTokenParams(ttlSeconds: 3600)).token
    }

    /// A REST call with a bearer token (JSON body).
    func rest(_ method: String, _ path: String, token: String, body: String? = nil, timeout: Int = 20) async throws -> LoopbackHTTPResponse {
        var headers = ["Authorization": "Bearer \(token)"]
        if body != nil { headers["Content-Type"] = "application/json" }
        return try await loopbackHTTP(method, port: port, path: path, headers: headers, body: body, timeout: timeout)
    }

    /// Every task of the control user (status all), through the control socket.
    func allTasks() async throws -> [TaskItem] {
        try await control.call(ControlMethods.ListTasks.self, ListTasksParams(status: .all)).tasks
    }
}

/// Two instances on a fresh database, stopped and the database dropped afterwards.
struct PGPair: Sendable {
    let a: PGInstance
    let b: PGInstance
    let databaseURL: String

    /// Runs `body` with two fresh instances; cleans up whatever happens.
    static func with<R: Sendable>(
        llm: String? = nil, ownSecret: Bool = false, adminURL: String? = nil, _ body: (PGPair) async throws -> R
    ) async throws -> R {
        let dir = try TemporaryDirectory(prefix: "todod-multi-")
        defer { dir.remove() }
        let url = try await PostgresTestDatabase.freshURL(adminURL: adminURL)
        let database = URLComponents(string: url)?.path.split(separator: "/").last.map(String.init) ?? ""
        // Both start at once: migrations under the advisory lock, the shared secret stored by the first.
        let first = Task { try await PGInstance.start("A", root: dir.appending("a"), databaseURL: url, llm: llm, ownSecret: ownSecret) }
        let second = Task { try await PGInstance.start("B", root: dir.appending("b"), databaseURL: url, llm: llm, ownSecret: ownSecret) }
        let started = (await first.result, await second.result)
        guard case .success(let a) = started.0, case .success(let b) = started.1 else {
            for case .success(let instance) in [started.0, started.1] { _ = await instance.daemon.kill9() }
            try? await PostgresTestDatabase.drop(database, adminURL: adminURL)
            if case .failure(let error) = started.0 { throw error }
            if case .failure(let error) = started.1 { throw error }
            throw TestingError("unreachable")
        }
        let pair = PGPair(a: a, b: b, databaseURL: url)
        let outcome: Result<R, any Error>
        do { outcome = .success(try await body(pair)) } catch { outcome = .failure(error) }
        await pair.stop()
        try? await PostgresTestDatabase.drop(database, adminURL: adminURL)
        return try outcome.get()
    }

    /// SIGTERM both; prints stderr of one that did not exit 0.
    func stop() async {
        for instance in [a, b] {
            let result = await instance.daemon.stop()
            if result.status != 0 { print("todod \(instance.name) exited \(result.status): \(result.stderr.suffix(4000))") }
        }
    }
}

// MARK: - The cluster's control script

/// Runs `$TODOD_TEST_PG_CTL action` (`start`, `stop-immediate`, `stop-fast`, `stop`, `env`) for the cluster whose
/// state file is `state` (default: this process's `TODOD_PG_STATE`, the cluster every PostgreSQL test shares).
func pgCluster(_ action: String, state: String? = nil) async throws -> ProcessResult {
    var environment = ProcessInfo.processInfo.environment
    if let state { environment["TODOD_PG_STATE"] = state }
    guard let ctl = environment["TODOD_TEST_PG_CTL"], !ctl.isEmpty else { throw TestingError("TODOD_TEST_PG_CTL is unset") }
    let result = try await runProcess("/bin/bash", [ctl, action], environment: environment)
    guard result.status == 0 else { throw TestingError("pg-cluster \(action) exited \(result.status): \(result.stderr)") }
    return result
}

// MARK: - JSON and SSE helpers

/// The body of `response`, de-chunked when it was sent with `Transfer-Encoding: chunked`.
func plainBody(_ response: LoopbackHTTPResponse) -> String {
    guard response.header("transfer-encoding")?.lowercased().contains("chunked") == true else { return response.body }
    var decoder = ChunkedDecoder()
    return String(decoding: decoder.feed(Array(response.body.utf8)), as: UTF8.self)
}

/// The JSON object in `text`, or nil.
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

/// The JSON `data:` payloads of an SSE text, in order.
func sseEvents(_ text: String) -> [[String: Any]] {
    text.components(separatedBy: "\n\n").flatMap { frame in
        frame.split(separator: "\n").compactMap { line -> [String: Any]? in
            guard line.hasPrefix("data: ") else { return nil }
            return jsonObject(String(line.dropFirst(6)))
        }
    }
}

/// An incremental `Transfer-Encoding: chunked` decoder.
struct ChunkedDecoder {
    private var pending: [UInt8] = []

    /// Adds raw bytes; returns the payload bytes of the chunks now complete.
    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        pending += bytes
        var out: [UInt8] = []
        while let lineEnd = crlf(from: 0) {
            let sizeText = String(decoding: pending[0..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { pending = []; break }
            let start = lineEnd + 2
            guard pending.count >= start + size + 2 else { break }
            out += pending[start..<(start + size)]
            pending.removeFirst(start + size + 2)
            if size == 0 { break }
        }
        return out
    }

    private func crlf(from start: Int) -> Int? {
        var i = start
        while i + 1 < pending.count {
            if pending[i] == 13 && pending[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }
}

/// A value behind a lock, shareable with child tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    /// A copy of the value.
    var value: Value { mutex.withLock { $0 } }

    /// Changes the value under the lock.
    @discardableResult
    func update<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

/// A cluster of the test's own (`pg-cluster start` with a private state file): a test that stops PostgreSQL must not
/// stop the cluster the other PostgreSQL tests run on in parallel.
struct PrivateCluster: Sendable {
    let state: String
    let adminURL: String

    /// Starts a new cluster, runs `body`, and removes the cluster whatever happens.
    static func with<R: Sendable>(_ body: (PrivateCluster) async throws -> R) async throws -> R {
        let dir = try TemporaryDirectory(prefix: "todod-pgown-")
        defer { dir.remove() }
        let state = dir.appending("cluster.state")
        _ = try await pgCluster("start", state: state)
        let outcome: Result<R, any Error>
        do {
            let env = try await pgCluster("env", state: state).stdout
            guard let line = env.split(separator: "\n").first(where: { $0.hasPrefix("export TODOD_TEST_DATABASE_URL=") }) else {
                throw TestingError("pg-cluster env printed no TODOD_TEST_DATABASE_URL: \(env)")
            }
            let url = String(line.dropFirst("export TODOD_TEST_DATABASE_URL=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            outcome = .success(try await body(PrivateCluster(state: state, adminURL: url)))
        } catch {
            outcome = .failure(error)
        }
        _ = try? await pgCluster("stop", state: state)
        return try outcome.get()
    }
}
