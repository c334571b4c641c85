#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import TodoCore
import TodoStore
import TodoTesting

// MARK: - todo-bench daemon

/// Start-up and memory figures for the real `todod` binary next to this one: exec → `READY=1` (measured
/// with a NOTIFY_SOCKET receiver) with an empty store and with 100,000 version 2 tasks, and idle RSS (VmRSS).
/// - Parameters:
///   - directory: a scratch directory.
///   - quick: fewer repetitions and 10,000 instead of 100,000 tasks.
func runDaemonBench(directory: String, quick: Bool) async throws {
    let binDir = (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") as NSString).deletingLastPathComponent
    let todod = binDir + "/todod"
    guard FileManager.default.isExecutableFile(atPath: todod) else { throw TestingError("\(todod) not built") }
    let build = binDir.hasSuffix("/release") ? "release" : binDir.hasSuffix("/debug") ? "debug" : binDir
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let repetitions = quick ? 3 : 7
    let big = quick ? 10_000 : 100_000
    print("daemon benchmark: \(todod) (\(build) build), \(repetitions) starts per case, median [min-max]")

    for (label, tasks) in [("empty store", 0), ("\(big) v2 tasks", big)] {
        let data = directory + "/data-\(tasks)"
        try? FileManager.default.removeItem(atPath: data)
        if tasks > 0 { try await seedVersion2(data, tasks: tasks) }
        for http in ["off", "127.0.0.1:0"] {
            var times: [Double] = []
            var rss: [Int] = []
            for run in 0..<repetitions {
                let (ready, kb) = try await startOnce(todod: todod, data: data, root: directory, http: http, measureRSS: run == 0)
                times.append(ready)
                if let kb { rss.append(kb) }
            }
            times.sort()
            let goal = tasks == 0 ? 50.0 : 500.0
            let head = "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + " http=" + http.padding(toLength: 12, withPad: " ", startingAt: 0)
            let rssText = rss.first.map { String(format: ", idle RSS %.1f MB (goal < 30 MB)", Double($0) / 1024) } ?? ""
            print(head + String(format: " exec→READY=1 %7.1f ms [%.1f-%.1f] (goal < %.0f ms)", times[times.count / 2], times.first!, times.last!, goal) + rssText)
        }
    }
}

/// One start: returns milliseconds from spawn to READY=1 and, when asked, VmRSS in kB after 2 s idle.
private func startOnce(todod: String, data: String, root: String, http: String, measureRSS: Bool) async throws -> (Double, Int?) {
    let notifyPath = root + "/notify-\(getpid()).sock"
    unlink(notifyPath)
    let receiver = try NotifyReceiver(path: notifyPath)
    defer { receiver.close() }
    var env = DaemonProcess.baseEnvironment()
    env["NOTIFY_SOCKET"] = notifyPath
    let start = NotifyReceiver.now()
    let child = try ChildProcess(todod, ["--data-dir", data, "--control-socket", root + "/bench.sock", "--http", http, "--log-level", "warning"], environment: env)
    guard let ready = await receiver.waitFor(timeout: .seconds(60), { $0.contains("READY=1") }) else {
        child.send(SIGKILL)
        throw TestingError("todod did not send READY=1: \(await child.wait().stderr)")
    }
    var rss: Int?
    if measureRSS {
        try await Task.sleep(for: .seconds(2))
        rss = vmRSS(pid: child.pid)
    }
    child.send(SIGTERM)
    let result = await child.wait()
    guard result.status == 0 else { throw TestingError("todod exited \(result.status): \(result.stderr)") }
    return ((ready.receivedAt - start) * 1000, rss)
}

/// VmRSS of `pid` in kB, from /proc/PID/status.
func vmRSS(pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
    return Int(line.split(separator: " ").dropFirst().first ?? "")
}
