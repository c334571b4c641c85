import Foundation
import Logging
import Testing
import TodoAgent
import TodoAuth
import TodoCore
import TodoHTTP
import TodoStore
import TodoTools

// MARK: - Benchmark server (only with TODOD_AGENT_BENCH_PORT)

/// Serves the real router over the durable store with the agent responder pointed at
/// `$TODOD_AGENT_BENCH_LLM` (for example shared/peers/fake_llm.py) until `$TODOD_AGENT_BENCH_DIR/stop`
/// exists. `Tests/Bench/agent_bench.sh` uses it when no `todod` with HTTP and the agent is available.
/// A no-op otherwise.
@Suite("Agent bench server")
struct AgentBenchServer {
    @Test("serve for agent_bench.sh (TODOD_AGENT_BENCH_PORT set)")
    func serve() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let port = env["TODOD_AGENT_BENCH_PORT"].flatMap(Int.init), let dir = env["TODOD_AGENT_BENCH_DIR"],
              let llm = env["TODOD_AGENT_BENCH_LLM"] else { return }
        var logger = Logger(label: "todo.bench")
        logger.logLevel = .warning
        let store = try await Store.open(directory: dir + "/data", logger: logger)
        let auth = try AuthService(secret: Array("agent-bench-secret-0123456789abcdef-0123".utf8), clock: SystemWallClock())
        let token = try await auth.issueToken(for: try UserID("bench"), ttlSeconds: 86_400)
        try Data(token.utf8).write(to: URL(fileURLWithPath: dir + "/token"))
        let responder = makeResponder(configuration: LLMConfiguration(baseURL: llm, model: "fake-model"), tasks: store, logger: logger)
        let deps = HTTPDependencies(tasks: store, threads: store, auth: auth, responder: responder, logger: logger,
                                    mcpEndpoint: MCPHTTPEndpoint(repository: store, logger: logger))
        let config = HTTPConfiguration(bind: .hostPort("127.0.0.1", port), chatRateLimitPerMinute: 0, maxConcurrentStreamsPerUser: 64)
        let server = HTTPServer(configuration: config, dependencies: deps, onListening: { _ in
            _ = FileManager.default.createFile(atPath: dir + "/ready", contents: Data())
        })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            while !FileManager.default.fileExists(atPath: dir + "/stop") { try await Task.sleep(for: .milliseconds(200)) }
            group.cancelAll()
        }
        await store.close()
    }
}
