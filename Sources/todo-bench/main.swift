// `todo-bench`: benchmark programs that print figures (goals are printed next to them, never asserted).
//   todo-bench store  [--quick] [--dir DIR]   durable adds/s, group commit ratio, ack latency (StoreBench.swift)
//   todo-bench daemon [--quick] [--dir DIR]   exec → READY=1, idle RSS of the todod next to this binary (DaemonBench.swift)
//   todo-bench all    [--quick] [--dir DIR]   every benchmark above
// Other engineers add their subcommands (chatkit, agent) to `benchmarks` below.
import Foundation

let benchmarks: [String: @Sendable (String, Bool) async throws -> Void] = [
    "store": { try await runStoreBench(directory: $0 + "/store", quick: $1) },
    "daemon": { try await runDaemonBench(directory: $0 + "/daemon", quick: $1) },
]

let arguments = Array(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
let directory = arguments.firstIndex(of: "--dir").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
    ?? "/tmp/todo-bench-\(ProcessInfo.processInfo.processIdentifier)"
let requested = arguments.first { !$0.hasPrefix("--") && $0 != directory } ?? ""
let selected = requested == "all" ? benchmarks.keys.sorted() : [requested]

guard selected.allSatisfy({ benchmarks[$0] != nil }) else {
    FileHandle.standardError.write(Data("usage: todo-bench \(benchmarks.keys.sorted().joined(separator: "|"))|all [--quick] [--dir DIR]\n".utf8))
    exit(2)
}
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
