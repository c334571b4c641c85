#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import TodoCore
import TodoStore
import TodoTesting

// MARK: - todo-bench startup

/// Start-up figures for the real `todod` next to this binary, as issue 11 states them: exec → `READY=1`
/// (a NOTIFY_SOCKET datagram socket this process binds) p50 and max over several starts, with an empty data
/// directory and with 100,000 tasks plus 1,000 threads of 100 items (written through the real store), and the
/// idle RSS and thread count of the started daemon. HTTP is on (`127.0.0.1:0`), as a deployed todod runs.
/// - Parameters:
///   - directory: a scratch directory (the large data set is made once per run).
///   - quick: fewer starts and a tenth of the data.
func runStartupBench(directory: String, quick: Bool) async throws {
    let binDir = (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") as NSString).deletingLastPathComponent
    let todod = binDir + "/todod"
    guard FileManager.default.isExecutableFile(atPath: todod) else { throw TestingError("\(todod) not built") }
    let build = binDir.hasSuffix("/release") ? "release" : binDir.hasSuffix("/debug") ? "debug" : binDir
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let starts = quick ? 5 : 15
    let scale = quick ? 10 : 1
    let (tasks, threads, items) = (100_000 / scale, 1_000 / scale, 100)
    print("startup benchmark: \(todod) (\(build) build), \(starts) starts per case, http=127.0.0.1:0")

    let empty = directory + "/data-empty"
    let large = directory + "/data-large"
    try? FileManager.default.removeItem(atPath: empty)
    try? FileManager.default.removeItem(atPath: large)
    let seedStart = ContinuousClock.now
    try await seedStartupData(large, tasks: tasks, threads: threads, itemsPerThread: items)
    let fileBytes = dataBytes(large)
    print(String(format: "  seeded %d tasks, %d threads x %d items (%.1f MB on disk) in %.1f s", tasks, threads, items,
                 Double(fileBytes) / 1_048_576, (ContinuousClock.now - seedStart).seconds))

    for (label, data, goal) in [("empty store", empty, 50.0), ("\(tasks / 1000)k tasks + \(threads)x\(items) items", large, 500.0)] {
        var times: [Double] = []
        var idle: StartSample?
        for run in 0..<starts {
            let sample = try await startAndMeasure(todod: todod, data: data, root: directory, idle: run == starts - 1)
            times.append(sample.readyMilliseconds)
            if sample.rssKB != nil { idle = sample }
        }
        times.sort()
        let p50 = times[times.count / 2]
        let verdict = p50 < goal ? "met" : "NOT met"
        print("  " + label.padding(toLength: 30, withPad: " ", startingAt: 0)
            + String(format: " exec→READY=1 p50 %6.1f ms, max %6.1f ms (goal < %.0f ms: %@)", p50, times.last!, goal, verdict))
        if let idle, let rss = idle.rssKB {
            // The issue's < 30 MB goal is for an idle daemon with an empty store; with the large store loaded
            // the figure is printed without one.
            let rssGoal = data == empty ? "goal < 30 MB: " + (Double(rss) / 1024 < 30 ? "met" : "NOT met") : "no goal: the data is in memory"
            print("  " + "".padding(toLength: 30, withPad: " ", startingAt: 0)
                + String(format: " idle after 1 s: RSS %.1f MB (%@), %d threads", Double(rss) / 1024, rssGoal, idle.threads ?? -1))
        }
    }
}

/// What one start measured.
private struct StartSample {
    var readyMilliseconds: Double
    var rssKB: Int?
    var threads: Int?
}

/// Starts `todod` once and stops it: milliseconds from spawn to `READY=1`, and (when `idle`) VmRSS and the
/// thread count one second after READY.
private func startAndMeasure(todod: String, data: String, root: String, idle: Bool) async throws -> StartSample {
    let notifyPath = root + "/notify-\(getpid()).sock"
    unlink(notifyPath)
    let receiver = try NotifyReceiver(path: notifyPath)
    defer { receiver.close() }
    var env = DaemonProcess.baseEnvironment()
    env["NOTIFY_SOCKET"] = notifyPath
    let start = NotifyReceiver.now()
    let child = try ChildProcess(
        todod, ["--data-dir", data, "--control-socket", root + "/startup.sock", "--http", "127.0.0.1:0", "--log-level", "warning"], environment: env)
    guard let ready = await receiver.waitFor(timeout: .seconds(60), { $0.contains("READY=1") }) else {
        child.send(SIGKILL)
        throw TestingError("todod did not send READY=1: \(await child.wait().stderr)")
    }
    var sample = StartSample(readyMilliseconds: (ready.receivedAt - start) * 1000)
    if idle {
        try await Task.sleep(for: .seconds(1))
        sample.rssKB = vmRSS(pid: child.pid)
        sample.threads = procStatus(pid: child.pid, field: "Threads:")
    }
    child.send(SIGTERM)
    let result = await child.wait()
    guard result.status == 0 else { throw TestingError("todod exited \(result.status): \(result.stderr)") }
    return sample
}

/// A numeric field of /proc/PID/status (`Threads:`, `VmRSS:` ...).
private func procStatus(pid: Int32, field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return nil }
    return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
}

/// Bytes of every file under `directory`.
private func dataBytes(_ directory: String) -> Int {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return 0 }
    var total = 0
    for case let path as String in walker {
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + path)
        if attributes?[.type] as? FileAttributeType == .typeRegular { total += (attributes?[.size] as? Int) ?? 0 }
    }
    return total
}

/// Writes `tasks` version 2 tasks and `threads` threads of `itemsPerThread` ChatKit-shaped items (a user message,
/// then an assistant message, alternating) for one user through `Store.importAll`.
func seedStartupData(_ directory: String, tasks: Int, threads: Int, itemsPerThread: Int) async throws {
    try await seedVersion2(directory, tasks: tasks)
    let logger = Logger(label: "todo.bench") { _ in SwiftLogNoOpLogHandler() }
    let store = try await Store.open(directory: directory, logger: logger)
    let exported = (0..<threads).map { t -> ExportedThread in
        let threadID = "thr_bench\(t)"
        let created = Timestamp(millisecondsSinceEpoch: benchNow.millisecondsSinceEpoch + Int64(t) * 60_000)
        let thread = StoredThread(
            id: threadID, createdAt: created,
            payload: #"{"id":"\#(threadID)","title":"Groceries and errands \#(t)","created_at":"\#(created.rfc3339)","status":{"type":"active"},"metadata":{}}"#)
        let items = (0..<itemsPerThread).map { i -> StoredItem in
            let id = "msg_bench\(t)_\(i)"
            let at = Timestamp(millisecondsSinceEpoch: created.millisecondsSinceEpoch + Int64(i) * 1000)
            let payload = i % 2 == 0
                ? #"{"id":"\#(id)","type":"user_message","thread_id":"\#(threadID)","created_at":"\#(at.rfc3339)","content":[{"type":"input_text","text":"add buy milk \#(i) tomorrow at 9"}],"attachments":[],"quoted_text":null,"inference_options":{"tool_choice":null,"model":null}}"#
                : #"{"id":"\#(id)","type":"assistant_message","thread_id":"\#(threadID)","created_at":"\#(at.rfc3339)","content":[{"type":"output_text","text":"Added \"buy milk \#(i)\" to your list, due tomorrow at 09:00. Anything else?","annotations":[]}]}"#
            return StoredItem(id: id, threadID: threadID, createdAt: at, payload: payload)
        }
        return ExportedThread(thread: thread, items: items)
    }
    _ = try await store.importAll(ExportDocument(exportedAt: benchNow, users: [ExportedUser(user: try UserID("bench"), tasks: [], threads: exported)]))
    await store.close()
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
