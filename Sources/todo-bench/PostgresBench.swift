import Foundation
import TodoTesting

// MARK: - todo-bench pg

/// One measured case of `todo-bench pg`.
private struct PGCase: Sendable {
    enum Kind: String, Sendable { case adds, turns }
    var kind: Kind
    var postgres: Bool
    var instances: Int
    var clients: Int
    var label: String { "\(kind.rawValue) \(postgres ? (instances == 2 ? "pg x2" : "pg") : "file") \(clients == 1 ? "1 client" : "\(clients) clients")" }
}

/// Figures of one case.
private struct PGRow: Sendable {
    var label: String
    var load: LoadResult
    var toddCPU: Double
    var postgresCPU: Double?
}

/// File store against PostgreSQL through real `todod` processes, all from one run: durable adds/s at 1 and 16
/// clients (REST `POST /api/tasks`, bearer token, one TCP connection per request), ChatKit turns/s at
/// concurrency 16 (`threads.create`, the scripted model answers each turn with an `add_task` call and then
/// text), and two todod instances on one database against one. Prints p50/p99 latency and CPU per operation
/// (todod processes, and the PostgreSQL postmaster with its backends) from /proc.
/// - Parameters:
///   - directory: a scratch directory.
///   - quick: smaller counts.
///   - arguments: the command line (`--database-url URL`, `--adds N`, `--turns N`).
func runPostgresBench(directory: String, quick: Bool, arguments: [String]) async throws {
    func value(_ name: String) -> String? {
        arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
    }
    let env = ProcessInfo.processInfo.environment
    guard let url = value("--database-url") ?? env["TODOD_TEST_DATABASE_URL"] ?? env["TODOD_DATABASE_URL"], !url.isEmpty else {
        print("pg benchmark: skipped (no --database-url and no TODOD_TEST_DATABASE_URL; Tests/Bench/pg_bench.sh starts a cluster)")
        return
    }
    let adds = try value("--adds").map { guard let n = Int($0), n > 0 else { throw TestingError("--adds needs a positive number") }; return n } ?? (quick ? 300 : 2000)
    let turns = try value("--turns").map { guard let n = Int($0), n > 0 else { throw TestingError("--turns needs a positive number") }; return n } ?? (quick ? 50 : 200)
    let databases = BenchDatabases(baseURL: url)
    let postmaster = try await databases.postmasterPID()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let llm = try await ScriptedLLMServer.start { request, n in
        if request.messages.last?["role"] as? String == "tool" { return .stream(ScriptedLLM.text(["Done: ", "added."])) }
        return .stream(ScriptedLLM.toolCalls([.init(id: "call_\(n)", name: "add_task", arguments: #"{"title":"bench turn \#(n)"}"#)]))
    }
    let build = BuildProducts.directory().hasSuffix("/release") ? "release" : "debug"
    print("pg benchmark: todod \(build) build, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(adds) adds and \(turns) turns per case, one run, fresh store/database per case")
    print("  adds: REST POST /api/tasks with a bearer token, one TCP connection per request, 201 = acknowledged (file: fsync; pg: COMMIT, fsync=on)")
    print("  turns: ChatKit POST /api/chatkit threads.create, streamed; scripted model on loopback: add_task call, then text (2 model requests per turn)")
    print("  pg x2: two todod processes on the same database, clients split evenly, token issued by the first used on both")

    let cases: [PGCase] = [
        PGCase(kind: .adds, postgres: false, instances: 1, clients: 1), PGCase(kind: .adds, postgres: true, instances: 1, clients: 1),
        PGCase(kind: .adds, postgres: false, instances: 1, clients: 16), PGCase(kind: .adds, postgres: true, instances: 1, clients: 16),
        PGCase(kind: .adds, postgres: true, instances: 2, clients: 16),
        PGCase(kind: .turns, postgres: false, instances: 1, clients: 16), PGCase(kind: .turns, postgres: true, instances: 1, clients: 16),
        PGCase(kind: .turns, postgres: true, instances: 2, clients: 16),
    ]
    var rows: [PGRow] = []
    let started = Date()
    for (index, c) in cases.enumerated() {
        let row = try await runCase(c, index: index, count: c.kind == .adds ? adds : turns, root: directory + "/case-\(index)",
                                    databases: databases, postmaster: postmaster, llmBaseURL: llm.baseURL)
        rows.append(row)
    }
    await llm.stop()
    printTable(rows, total: Date().timeIntervalSince(started))
}

private func runCase(_ c: PGCase, index: Int, count: Int, root: String, databases: BenchDatabases, postmaster: Int32?, llmBaseURL: String) async throws -> PGRow {
    let dbName = "bench_\(getpid())_\(index)"
    let dbURL = c.postgres ? try await databases.fresh(dbName) : nil
    var daemons: [BenchDaemon] = []
    for i in 0..<c.instances {
        daemons.append(try await BenchDaemon.start(root: root + "/todod-\(i)", databaseURL: dbURL, llmBaseURL: llmBaseURL))
    }
    do {
        let token = try await daemons[0].token()
        let ports = daemons.map(\.port)
        let operation: @Sendable (Int, Int) async throws -> Void = { i, worker in
            let port = ports[worker % ports.count]
            switch c.kind {
            case .adds: try await addTask(port: port, token: token, title: "bench add \(i)")
            case .turns: try await chatTurn(port: port, token: token, text: "add bench turn \(i)")
            }
        }
        let warmup = 4 * c.instances
        let warm = await runLoad(count: warmup, clients: c.instances, operation)
        guard warm.failures == 0 else { throw TestingError("\(c.label): warm-up failed: \(warm.firstFailure ?? "")") }
        let pids = daemons.map(\.process.child.pid)
        let cpu0 = pids.reduce(0) { $0 + ProcessCPU.seconds($1) }
        let pg0 = postmaster.map(ProcessCPU.treeSeconds)
        let load = await runLoad(count: count, clients: c.clients, operation)
        let cpu1 = pids.reduce(0) { $0 + ProcessCPU.seconds($1) }
        let pg1 = postmaster.map(ProcessCPU.treeSeconds)
        let stored = try await countTasks(port: daemons[0].port, token: token)
        guard stored == warmup + load.operations else {
            throw TestingError("\(c.label): \(load.operations + warmup) acknowledged, \(stored) tasks stored")
        }
        for d in daemons { try await d.stop() }
        if c.postgres { try await databases.drop(dbName) }
        try? FileManager.default.removeItem(atPath: root)
        return PGRow(label: c.label, load: load, toddCPU: cpu1 - cpu0, postgresCPU: c.postgres ? pg0.flatMap { a in pg1.map { $0 - a } } : nil)
    } catch {
        for d in daemons { _ = await d.process.kill9() }
        throw error
    }
}

/// `POST /api/tasks`; anything but 201 throws.
private func addTask(port: Int, token: String, title: String) async throws {
    let r = try await loopbackHTTP("POST", port: port, path: "/api/tasks",
                                   headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                   body: #"{"title":"\#(title)"}"#, timeout: 30)
    guard r.status == 201 else { throw TestingError("POST /api/tasks: \(r.status) \(r.body.prefix(200))") }
}

/// One ChatKit `threads.create` turn; throws unless the stream ends with a finished assistant message and no error event.
private func chatTurn(port: Int, token: String, text: String) async throws {
    let body = #"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"\#(text)"}],"attachments":[],"inference_options":{}}}}"#
    let r = try await loopbackHTTP("POST", port: port, path: "/api/chatkit",
                                   headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json", "Accept": "text/event-stream"],
                                   body: body, timeout: 60)
    guard r.status == 200 else { throw TestingError("POST /api/chatkit: \(r.status) \(r.body.prefix(200))") }
    guard !r.body.contains(#""type":"error""#), r.body.contains("added.") else {
        throw TestingError("ChatKit turn without the answer or with an error event: \(r.body.suffix(300))")
    }
}

/// How many tasks `GET /api/tasks` lists.
private func countTasks(port: Int, token: String) async throws -> Int {
    let r = try await loopbackHTTP("GET", port: port, path: "/api/tasks", headers: ["Authorization": "Bearer \(token)"], timeout: 30)
    guard r.status == 200, let list = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [Any] else {
        throw TestingError("GET /api/tasks: \(r.status) \(r.body.prefix(200))")
    }
    return list.count
}

private func printTable(_ rows: [PGRow], total: Double) {
    print("")
    print("case                      ok  fail    ops/s   p50 ms   p99 ms  todod CPU ms/op  postgres CPU ms/op")
    for row in rows {
        let l = row.load
        let ops = Double(max(l.operations, 1))
        let pg = row.postgresCPU.map { String(format: "%18.2f", $0 * 1000 / ops) } ?? String(repeating: " ", count: 16) + " -"
        print(row.label.padding(toLength: 22, withPad: " ", startingAt: 0)
              + String(format: " %5d %5d %8.1f %8.2f %8.2f %16.2f", l.operations, l.failures, l.perSecond, l.percentile(0.5), l.percentile(0.99), row.toddCPU * 1000 / ops) + pg)
        if let f = l.firstFailure { print("    first failure: \(f.prefix(300))") }
    }
    let rate = Dictionary(rows.map { ($0.label, $0.load.perSecond) }, uniquingKeysWith: { a, _ in a })
    func ratio(_ a: String, _ b: String) -> String {
        guard let x = rate[a], let y = rate[b], y > 0 else { return "n/a" }
        return String(format: "%.2f", x / y)
    }
    print("")
    print("ratios (ops/s): pg/file adds 1 client \(ratio("adds pg 1 client", "adds file 1 client")), adds 16 clients \(ratio("adds pg 16 clients", "adds file 16 clients")), turns 16 \(ratio("turns pg 16 clients", "turns file 16 clients"))")
    print("                two/one on pg: adds 16 clients \(ratio("adds pg x2 16 clients", "adds pg 16 clients")), turns 16 \(ratio("turns pg x2 16 clients", "turns pg 16 clients"))")
    print(String(format: "total %.1f s (including starts, warm-up, checks)", total))
}
