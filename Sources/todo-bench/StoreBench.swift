import Foundation
import Logging
import TodoCore
import TodoStore

// MARK: - todo-bench store

/// Store figures on the real disk (POSIXStorage under `directory`): durable adds per second with 1 and 16
/// clients, group commit against one fdatasync per write, p50/p99 acknowledgement latency, and the time
/// to open a store holding 100,000 tasks.
/// - Parameters:
///   - directory: a scratch directory (subdirectories are created and removed).
///   - quick: fewer operations (for CI smoke runs).
func runStoreBench(directory: String, quick: Bool) async throws {
    let logger = Logger(label: "todo.bench") { _ in SwiftLogNoOpLogHandler() }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let perClient = quick ? 25 : 100
    let single = quick ? 200 : 1000
    print("store benchmark in \(directory) (\(quick ? "quick" : "full"))")

    let rounds = quick ? 1 : 3
    print("(each figure: the median-throughput round of \(rounds); the machine's other load shows up as noise)")
    let one = try await median(rounds) { try await measureAdds(dir: directory + "/c1", clients: 1, each: single, groupCommit: true, logger: logger) }
    print(one.line("1 client, group commit"))
    // Group and plain rounds alternate so both see the same background load; the ratio is the median of
    // the per-pair ratios.
    var groups: [AddFigures] = []
    var plains: [AddFigures] = []
    var ratios: [Double] = []
    for _ in 0..<(quick ? 1 : 5) {
        let g = try await measureAdds(dir: directory + "/c16g", clients: 16, each: perClient, groupCommit: true, logger: logger)
        let p = try await measureAdds(dir: directory + "/c16p", clients: 16, each: perClient, groupCommit: false, logger: logger)
        groups.append(g)
        plains.append(p)
        ratios.append(g.perSecond / p.perSecond)
    }
    let g = middle(groups)
    print(g.line("16 clients, group commit"))
    print(middle(plains).line("16 clients, one fdatasync per write"))
    ratios.sort()
    print(String(format: "group commit speed-up at 16 clients: %.1fx median of %d paired rounds (range %.1f-%.1fx; goal >= 10x)",
                 ratios[ratios.count / 2], ratios.count, ratios.first!, ratios.last!))
    // Where a group-commit cycle goes: the disk's own write + fdatasync, and the rest (the acknowledged writers
    // waking and staging their next adds), which bounds the ratio on this machine.
    let disk = try measureBareSync(dir: directory + "/bare", count: quick ? 100 : 400)
    let perSync = Double(g.total) / Double(max(g.syncs, 1))
    let cycle = 1000 * perSync / g.perSecond
    print(String(format: "  one group-commit cycle: %.3f ms for %.1f adds; a bare write + fdatasync of one line on this disk: p50 %.3f ms, "
                 + "so %.3f ms of each cycle is the writers coming back (%.1f us per add)",
                 cycle, perSync, disk, max(cycle - disk, 0), 1000 * max(cycle - disk, 0) / perSync))

    let count = 100_000
    let loadDir = directory + "/load"
    let bytes = try writeLargeStore(dir: loadDir, tasks: count)
    var times: [Double] = []
    for _ in 0..<3 {
        let start = ContinuousClock.now
        let store = try await Store.open(directory: loadDir, logger: logger)
        let elapsed = ContinuousClock.now - start
        let stats = await store.stats()
        precondition(stats.tasks == count, "loaded \(stats.tasks) tasks")
        await store.close()
        times.append(seconds(elapsed) * 1000)
    }
    times.sort()
    print(String(format: "open with %d tasks (%.1f MB): median %.0f ms (min %.0f, max %.0f; goal < 500 ms to READY)",
                 count, Double(bytes) / 1_048_576, times[1], times[0], times[2]))
    try? FileManager.default.removeItem(atPath: directory)
}

/// One 16-client group-commit round and nothing else (no 100,000-task load), so that `perf stat` or
/// callgrind over the whole process sees the add path: 1,600 adds with `quick`, 6,400 without (the
/// difference between the two runs is the cost of 4,800 adds without the set-up).
func runStoreGroupRound(directory: String, quick: Bool) async throws {
    let logger = Logger(label: "todo.bench") { _ in SwiftLogNoOpLogHandler() }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let figures = try await measureAdds(dir: directory + "/c16g", clients: 16, each: quick ? 100 : 400, groupCommit: true, logger: logger)
    print(figures.line("16 clients, group commit"))
    try? FileManager.default.removeItem(atPath: directory)
}

// MARK: - Helpers

private struct AddFigures {
    var clients: Int
    var total: Int
    var perSecond: Double
    var p50: Double
    var p99: Double
    var syncs: Int

    func line(_ label: String) -> String {
        String(format: "%@: %d adds, %.0f adds/s, ack latency p50 %.2f ms, p99 %.2f ms, %.1f adds per fdatasync",
               label, total, perSecond, p50, p99, Double(total) / Double(max(syncs, 1)))
    }
}

private func median(_ rounds: Int, _ run: () async throws -> AddFigures) async throws -> AddFigures {
    var all: [AddFigures] = []
    for _ in 0..<rounds { all.append(try await run()) }
    return middle(all)
}

/// The round with the median throughput.
private func middle(_ rounds: [AddFigures]) -> AddFigures {
    rounds.sorted { $0.perSecond < $1.perSecond }[rounds.count / 2]
}

private func measureAdds(dir: String, clients: Int, each: Int, groupCommit: Bool, logger: Logger) async throws -> AddFigures {
    try? FileManager.default.removeItem(atPath: dir)
    let store = try await Store.open(directory: dir, options: StoreOptions(groupCommit: groupCommit), logger: logger)
    let owner = try UserID("bench")
    _ = try await store.addTask(TaskDraft(title: "warm-up"), for: owner, requestID: nil)
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for c in 0..<clients {
            group.addTask {
                var out: [Double] = []
                out.reserveCapacity(each)
                for i in 0..<each {
                    let t0 = ContinuousClock.now
                    _ = try await store.addTask(TaskDraft(title: "task \(c)-\(i)"), for: owner, requestID: "req-\(c)-\(i)")
                    out.append(seconds(ContinuousClock.now - t0) * 1000)
                }
                return out
            }
        }
        var all: [Double] = []
        for try await part in group { all += part }
        return all.sorted()
    }
    let elapsed = seconds(ContinuousClock.now - start)
    let syncs = await store.stats().syncs - 1
    await store.close()
    try? FileManager.default.removeItem(atPath: dir)
    let pick = { (q: Double) in latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] }
    return AddFigures(clients: clients, total: latencies.count, perSecond: Double(latencies.count) / elapsed, p50: pick(0.5), p99: pick(0.99), syncs: syncs)
}

/// The p50 of `count` appends of one 200-byte line, each followed by fdatasync, through the store's own
/// POSIX backend (the disk's floor for one durable write, without the store around it).
private func measureBareSync(dir: String, count: Int) throws -> Double {
    try? FileManager.default.removeItem(atPath: dir)
    let backend = POSIXStorage()
    try backend.createDirectory(dir)
    let file = try backend.open(dir + "/bare.jsonl", mode: .append)
    defer { backend.close(file); try? FileManager.default.removeItem(atPath: dir) }
    let line = [UInt8](repeating: UInt8(ascii: "x"), count: 199) + [UInt8(ascii: "\n")]
    var times: [Double] = []
    for _ in 0..<count {
        let t0 = ContinuousClock.now
        try backend.write(file, line)
        try backend.fdatasync(file)
        times.append(seconds(ContinuousClock.now - t0) * 1000)
    }
    times.sort()
    return times[times.count / 2]
}

/// Writes a data directory with one user holding `tasks` tasks, in the store's own format.
private func writeLargeStore(dir: String, tasks: Int) throws -> Int {
    try? FileManager.default.removeItem(atPath: dir)
    let userDir = dir + "/users/bench"
    try FileManager.default.createDirectory(atPath: userDir, withIntermediateDirectories: true)
    var bytes = RecordCodec.encode(.header(kind: "todod.tasks", version: storeFormatVersion))
    var rng = SystemRandomNumberGenerator()
    let base = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)
    for i in 0..<tasks {
        let at = Timestamp(millisecondsSinceEpoch: base.millisecondsSinceEpoch + Int64(i))
        let task = TaskItem(id: TaskID.random(using: &rng), title: "Benchmark task number \(i)", description: i % 3 == 0 ? "with a description \(i)" : nil,
                            completed: i % 4 == 0, createdAt: at, updatedAt: at)
        bytes += RecordCodec.encode(.task(task, requestID: i % 2 == 0 ? "req-\(i)" : nil))
    }
    FileManager.default.createFile(atPath: userDir + "/tasks.jsonl", contents: Data(bytes), attributes: [.posixPermissions: 0o600])
    return bytes.count
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
