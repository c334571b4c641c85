import Foundation
import ChatKitProtocol
import Logging
import TodoAgent
import TodoAuth
import TodoCore
import TodoHTTP
import TodoStore
import TodoTesting
import TodoTools

// MARK: - todo-bench chatkit-server / agent-server

/// The assistant a bench server answers with.
enum BenchAssistant: Sendable {
    /// `ScriptedEchoResponder`: the reference server's deterministic script, no model (for chatkit_bench.sh).
    case scriptedEcho
    /// The real agent in front of the OpenAI-compatible model server at this base URL (for agent_bench.sh).
    case agent(llmBaseURL: String)
}

/// Serves the real router over the durable store on 127.0.0.1:`port` until the process is signalled.
///
/// Writes a bearer token for user `bench` to `DIR/token`, then creates `DIR/ready` once the listener
/// accepts connections. The benchmark scripts drive it with `../shared/peers/chatkit_load.py`.
/// - Parameters:
///   - directory: scratch directory (the store lives in `DIR/data`).
///   - port: the TCP port on 127.0.0.1.
///   - assistant: which responder answers turns.
func runBenchServer(directory: String, port: Int, assistant: BenchAssistant) async throws {
    var logger = Logger(label: "todo.bench")
    logger.logLevel = .warning
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = try await Store.open(directory: directory + "/data", logger: logger)
    var generator = SystemRandomNumberGenerator()
    let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    let auth = try AuthService(secret: secret, clock: SystemWallClock())
    let token = try await auth.issueToken(for: try UserID("bench"), ttlSeconds: 86_400)
    try Data(token.utf8).write(to: URL(fileURLWithPath: directory + "/token"))
    let responder: any Responder
    switch assistant {
    case .scriptedEcho:
        responder = ScriptedEchoResponder()
    case .agent(let llm):
        responder = makeResponder(configuration: LLMConfiguration(baseURL: llm, model: "fake-model"), tasks: store, logger: logger)
    }
    let dependencies = HTTPDependencies(tasks: store, threads: store, auth: auth, responder: responder, logger: logger,
                                        mcpEndpoint: MCPHTTPEndpoint(repository: store, logger: logger))
    let configuration = HTTPConfiguration(bind: .hostPort("127.0.0.1", port), chatRateLimitPerMinute: 0, maxConcurrentStreamsPerUser: 64)
    let server = HTTPServer(configuration: configuration, dependencies: dependencies, onListening: { _ in
        _ = FileManager.default.createFile(atPath: directory + "/ready", contents: Data())
    })
    FileHandle.standardError.write(Data("todo-bench: serving the router (\(assistant)) on 127.0.0.1:\(port) until SIGTERM; token in \(directory)/token\n".utf8))
    try await server.run()
    await store.close()
}
