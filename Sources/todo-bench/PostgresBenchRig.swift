#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import TodoControl
import TodoCore
import TodoTesting

// MARK: - The pieces `todo-bench pg` is made of: real todod processes, fresh databases, CPU counters, a load driver

/// One real `todod` serving HTTP on 127.0.0.1, on the file store (no URL) or on PostgreSQL (`databaseURL`).
struct BenchDaemon: Sendable {
    let process: DaemonProcess
    let port: Int

    /// Starts todod in `root` with the scripted model at `llmBaseURL`, waits until HTTP answers.
    static func start(root: String, databaseURL: String?, llmBaseURL: String) async throws -> BenchDaemon {
        let port = try freeLoopbackPort()
        var arguments = ["--http", "127.0.0.1:\(port)", "--log-level", "warning", "--chat-rate-limit", "0",
                         "--max-streams-per-user", "64", "--llm-base-url", llmBaseURL, "--llm-model", "fake-model"]
        if let databaseURL { arguments += ["--database-url", databaseURL] }
        let process = try DaemonProcess(root: root, extraArguments: arguments)
        try await process.waitUntilReady(timeout: .seconds(60))
        try await waitForLoopbackHTTP(port: port, timeout: .seconds(30))
        return BenchDaemon(process: process, port: port)
    }

    /// A bearer token for the caller's user, issued over this daemon's control socket.
    func token() async throws -> String {
        try await ControlClient(socketPath: process.socketPath).call(ControlMethods.IssueToken.self, IssueTokenParams(ttlSeconds: 3600)).token
    }

    /// SIGTERM and wait; a non-zero exit is an error (with its stderr).
    func stop() async throws {
        let result = await process.stop()
        guard result.status == 0 else { throw TestingError("todod on port \(port) exited \(result.status): \(result.stderr.suffix(2000))") }
    }
}

/// Fresh PostgreSQL databases through `psql` (the role in the URL needs CREATEDB, as the test cluster's `todod` has).
struct BenchDatabases: Sendable {
    /// The URL of an existing database the role may connect to (TODOD_TEST_DATABASE_URL).
    let baseURL: String

    /// Creates database `name` and returns the base URL with its database path replaced.
    func fresh(_ name: String) async throws -> String {
        _ = try await psql("DROP DATABASE IF EXISTS \(name)")
        _ = try await psql("CREATE DATABASE \(name)")
        guard var parts = URLComponents(string: baseURL) else { throw TestingError("not a URL: the database URL") }
        parts.path = "/" + name
        guard let url = parts.string else { throw TestingError("cannot build a URL for database \(name)") }
        return url
    }

    /// Drops database `name` (after its todod processes stopped).
    func drop(_ name: String) async throws {
        _ = try await psql("DROP DATABASE IF EXISTS \(name)")
    }

    /// The postmaster's pid: the parent of a background process (checkpointer, walwriter, …), whose
    /// pg_stat_activity rows show a pid but no user to a non-superuser.
    func postmasterPID() async throws -> Int32? {
        let out = try await psql("SELECT pid FROM pg_stat_activity WHERE usename IS NULL AND pid <> pg_backend_pid() ORDER BY pid LIMIT 1")
        guard let background = Int32(out.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return ProcessCPU.parentPID(of: background)
    }

    /// Runs one statement with `psql -X -A -t`; returns stdout, throws with stderr on failure.
    func psql(_ sql: String) async throws -> String {
        let path = ["/usr/bin/psql", "/usr/local/bin/psql"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw TestingError("psql not found (apt-get install postgresql-client)") }
        let env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let result = try await runProcess(path, ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", baseURL, "-c", sql], environment: env)
        guard result.status == 0 else { throw TestingError("psql \(sql): \(result.stderr)") }
        return result.stdout
    }
}

/// CPU time of processes from /proc/PID/stat (utime + stime).
enum ProcessCPU {
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The fields after `(comm)` of /proc/PID/stat: [state, ppid, …]; utime is index 11, stime 12.
    private static func fields(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// Seconds of CPU `pid` used so far (0 when it is gone).
    static func seconds(_ pid: Int32) -> Double {
        guard let f = fields(pid), f.count > 12, let user = Double(f[11]), let system = Double(f[12]) else { return 0 }
        return (user + system) / ticksPerSecond
    }

    /// The parent of `pid`.
    static func parentPID(of pid: Int32) -> Int32? {
        fields(pid).flatMap { $0.count > 1 ? Int32($0[1]) : nil }
    }

    /// Seconds of CPU used by `root` and its live children (a postmaster and its backends).
    static func treeSeconds(_ root: Int32) -> Double {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { $0 == root || parentPID(of: $0) == root }.reduce(0) { $0 + seconds($1) }
    }
}

/// What one load produced.
struct LoadResult: Sendable {
    var operations: Int
    var failures: Int
    var firstFailure: String?
    var seconds: Double
    /// Sorted latencies in milliseconds of the successful operations.
    var latencies: [Double]

    var perSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }
    func percentile(_ p: Double) -> Double {
        latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }
}

/// Runs `count` operations with `clients` concurrent workers; `operation(i, worker)` throws on failure.
func runLoad(count: Int, clients: Int, _ operation: @escaping @Sendable (Int, Int) async throws -> Void) async -> LoadResult {
    let next = LoadCounter()
    let clock = ContinuousClock()
    let start = clock.now
    let parts = await withTaskGroup(of: ([Double], Int, String?).self) { group in
        for worker in 0..<clients {
            group.addTask {
                var latencies: [Double] = []
                var failures = 0
                var first: String?
                while true {
                    let i = next.value.add(1, ordering: .relaxed).oldValue
                    if i >= count { break }
                    let t0 = clock.now
                    do {
                        try await operation(i, worker)
                        let d = clock.now - t0
                        latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                    } catch {
                        failures += 1
                        if first == nil { first = "\(error)" }
                    }
                }
                return (latencies, failures, first)
            }
        }
        var all: [([Double], Int, String?)] = []
        for await part in group { all.append(part) }
        return all
    }
    let d = clock.now - start
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    let latencies = parts.flatMap(\.0).sorted()
    return LoadResult(operations: latencies.count, failures: parts.reduce(0) { $0 + $1.1 },
                      firstFailure: parts.compactMap(\.2).first, seconds: seconds, latencies: latencies)
}

/// The next operation index, shared by the workers of one load.
private final class LoadCounter: Sendable {
    let value = Atomic<Int>(0)
}
