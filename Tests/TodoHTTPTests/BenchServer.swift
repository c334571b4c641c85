import Testing
import Foundation
import ChatKitProtocol
import TodoCore
import TodoHTTP

// MARK: - Benchmark server (only with TODOD_BENCH_PORT)

/// Serves the real router over the durable store with `ScriptedEchoResponder` until `$TODOD_BENCH_DIR/stop`
/// exists, for `Tests/Bench/chatkit_bench.sh` when no wired `todod` is available. A no-op otherwise.
@Suite("ChatKit bench server")
struct BenchServer {
    @Test("serve for chatkit_bench.sh (TODOD_BENCH_PORT set)")
    func serve() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let port = env["TODOD_BENCH_PORT"].flatMap(Int.init), let dir = env["TODOD_BENCH_DIR"] else { return }
        let h = try await HTTPTestHarness.make(
            configuration: HTTPConfiguration(bind: .hostPort("127.0.0.1", port), chatRateLimitPerMinute: 0, maxConcurrentStreamsPerUser: 64),
            directory: dir + "/data")
        let token = try await h.token("bench")
        try Data(token.utf8).write(to: URL(fileURLWithPath: dir + "/token"))
        let server = HTTPServer(configuration: h.configuration, dependencies: h.dependencies, onListening: { _ in
            FileManager.default.createFile(atPath: dir + "/ready", contents: Data())
        })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            while !FileManager.default.fileExists(atPath: dir + "/stop") { try await Task.sleep(for: .milliseconds(200)) }
            group.cancelAll()
        }
    }
}
