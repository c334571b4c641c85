// `todo-bench`: benchmark programs that print figures (goals are printed next to them, never asserted).
//   todo-bench store  [--quick] [--dir DIR]   durable adds/s, group commit ratio, ack latency (StoreBench.swift)
//   todo-bench store-group [--quick] [--dir DIR]  one 16-client group-commit round alone, for profilers (StoreBench.swift)
//   todo-bench daemon [--quick] [--dir DIR]   exec → READY=1, idle RSS of the todod next to this binary (DaemonBench.swift)
//   todo-bench tasks  [--quick] [--dir DIR]   filtered lists over 100,000 v2 tasks (p50/p99), quick-add parse time (TaskBench.swift)
//   todo-bench pg     [--quick] [--dir DIR] [--database-url URL] [--adds N] [--turns N]
//                     file store vs PostgreSQL through real todod processes: adds/s, turns/s, two instances (PostgresBench.swift)
//   todo-bench startup [--quick] [--dir DIR]  exec → READY=1 p50/max (empty; 100k tasks + 1000x100 items), idle RSS and threads (StartupBench.swift)
//   todo-bench all    [--quick] [--dir DIR]   every benchmark above (pg only with a database URL)
// Servers that the load scripts in Tests/Bench drive (they run until SIGTERM; BenchServer.swift):
//   todo-bench chatkit-server --port N --dir DIR              router + store + the scripted echo responder
//   todo-bench agent-server   --port N --dir DIR --llm URL    router + store + the real agent against URL
// Other engineers add their subcommands to `benchmarks` below.
import Foundation

let benchmarks: [String: @Sendable (String, Bool) async throws -> Void] = [
    "store": { try await runStoreBench(directory: $0 + "/store", quick: $1) },
    "store-group": { try await runStoreGroupRound(directory: $0 + "/store-group", quick: $1) },
    "daemon": { try await runDaemonBench(directory: $0 + "/daemon", quick: $1) },
    "tasks": { try await runTaskBench(directory: $0 + "/tasks", quick: $1) },
    "startup": { try await runStartupBench(directory: $0 + "/startup", quick: $1) },
    "pg": { try await runPostgresBench(directory: $0 + "/pg", quick: $1, arguments: Array(CommandLine.arguments.dropFirst())) },
]
let servers = ["chatkit-server", "agent-server"]

let arguments = Array(CommandLine.arguments.dropFirst())
/// The value after `--name`, if any.
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}
func usage(_ problem: String) -> Never {
    FileHandle.standardError.write(Data("todo-bench: \(problem)\nusage: todo-bench \(benchmarks.keys.sorted().joined(separator: "|"))|all [--quick] [--dir DIR] [--database-url URL] [--adds N] [--turns N]\n       todo-bench chatkit-server|agent-server --port N --dir DIR [--llm URL]\n".utf8))
    exit(2)
}
let quick = arguments.contains("--quick")
let optionValues = ["--dir", "--port", "--llm", "--database-url", "--adds", "--turns"].compactMap(option)
let requested = arguments.first { !$0.hasPrefix("--") && !optionValues.contains($0) } ?? ""

if servers.contains(requested) {
    guard let port = option("--port").flatMap(Int.init), (1...65_535).contains(port) else { usage("\(requested) needs --port N") }
    guard let directory = option("--dir") else { usage("\(requested) needs --dir DIR") }
    let assistant: BenchAssistant
    if requested == "agent-server" {
        guard let llm = option("--llm") else { usage("agent-server needs --llm URL (an OpenAI-compatible base URL)") }
        assistant = .agent(llmBaseURL: llm)
    } else {
        assistant = .scriptedEcho
    }
    do {
        try await runBenchServer(directory: directory, port: port, assistant: assistant)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("todo-bench \(requested): \(error)\n".utf8))
        exit(1)
    }
}

let directory = option("--dir") ?? "/tmp/todo-bench-\(ProcessInfo.processInfo.processIdentifier)"
let selected = requested == "all" ? benchmarks.keys.sorted() : [requested]
guard selected.allSatisfy({ benchmarks[$0] != nil }) else { usage("unknown benchmark '\(requested)'") }
var failed = false
for name in selected {
    do {
        try await benchmarks[name]!(directory, quick)
    } catch {
        FileHandle.standardError.write(Data("todo-bench \(name): \(error)\n".utf8))
        failed = true
    }
}
try? FileManager.default.removeItem(atPath: directory)
exit(failed ? 1 : 0)
