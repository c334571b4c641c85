#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoControl
import TodoTesting

// MARK: - SIGTERM / SIGINT in every phase

@Suite("todod stops promptly on SIGTERM/SIGINT in every phase", .serialized, .timeLimit(.minutes(5)))
struct StartupSignalTests {
    static let limit: Duration = .seconds(5)
    static let taskCount = 1500

    /// A data directory with `taskCount` tasks, so recovery takes a measurable while.
    func prefilledDataDirectory(in dir: TemporaryDirectory) async throws -> String {
        let daemon = try DaemonProcess(root: dir.appending("seed"))
        try await daemon.waitUntilReady()
        let client = ControlClient(socketPath: daemon.socketPath)
        try await client.withConnection { connection in
            for index in 0..<Self.taskCount {
                _ = try await connection.call(ControlMethods.AddTask.self, AddTaskParams(title: "task \(index)"))
            }
        }
        let stopped = await daemon.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        return daemon.dataDirectory
    }

    @Test func signalAtRandomMomentsDuringStartupEndsPromptly() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sig-")
        defer { dir.remove() }
        try makeDirectory(dir.appending("seed"), mode: 0o700)
        let data = try await prefilledDataDirectory(in: dir)
        var statuses: [Int32: Int] = [:]
        var slowest: Duration = .zero
        for attempt in 0..<60 {
            let signal = attempt.isMultiple(of: 3) ? SIGINT : SIGTERM
            let receiver = try NotifyReceiver(path: dir.appending("notify-\(attempt).sock"))
            defer { receiver.close() }
            let child = try spawnTodod(
                ["--data-dir", data, "--control-socket", dir.appending("todod.sock"), "--http", "127.0.0.1:0"],
                environment: ["NOTIFY_SOCKET": receiver.path])
            // Even attempts: a random moment after spawn (exec, configuration, binding, recovery, READY, serving).
            // Odd attempts: a random moment after todod reported "recovering" (so surely inside todod, even when a
            // loaded machine makes exec slow): recovery, binding the control socket, READY or serving.
            let insideTodod = !attempt.isMultiple(of: 2)
            if insideTodod {
                let recovering = await receiver.waitFor(timeout: .seconds(10)) { $0.hasPrefix("STATUS=recovering") }
                #expect(recovering != nil, "attempt \(attempt): no STATUS=recovering")
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...100)))
            } else {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
            }
            let sent = ContinuousClock.now
            child.send(signal)
            let exit = await awaitExit(of: child, within: Self.limit, since: sent)
            #expect(!exit.killed, "attempt \(attempt) hung after signal \(signal): \(exit.result.stderr)")
            // 0: todod handled it. 128+signal only when it arrived before main blocked it (the loader and the Swift
            // runtime take ~50 ms for the debug binary, much longer on a loaded machine); todod has printed nothing then.
            let beforeMain = !insideTodod && exit.result.status == 128 + signal && exit.result.stderr.isEmpty
            #expect(exit.result.status == 0 || beforeMain, "attempt \(attempt): status \(exit.result.status): \(exit.result.stderr)")
            statuses[exit.result.status, default: 0] += 1
            slowest = max(slowest, exit.elapsed)
        }
        #expect(slowest < Self.limit)
        #expect(statuses[0, default: 0] >= 30, "every signal after main is answered by todod: \(statuses)")
        // Nothing was lost or damaged by the interruptions.
        let check = try DaemonProcess(root: dir.appending("seed"))
        #expect(check.dataDirectory == data)
        try await check.waitUntilReady()
        let status = try await ControlClient(socketPath: check.socketPath).call(ControlMethods.Status.self, EmptyParams())
        #expect(status.tasks.total == Self.taskCount)
        #expect(await check.stop().status == 0)
    }

    @Test func sigtermWhileRunningWithHTTPExitsZero() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sig-")
        defer { dir.remove() }
        let receiver = try NotifyReceiver(path: dir.appending("notify.sock"))
        defer { receiver.close() }
        let daemon = try DaemonProcess(
            root: dir.path, extraArguments: ["--http", "127.0.0.1:0"], environment: ["NOTIFY_SOCKET": receiver.path])
        let ready = await receiver.waitFor { $0.contains("READY=1") }
        #expect(ready?.text.contains("http=127.0.0.1:") == true)
        #expect(ready?.text.contains("http=127.0.0.1:0") == false, "the READY status names the bound port")
        let sent = ContinuousClock.now
        daemon.child.send(SIGTERM)
        let exit = await awaitExit(of: daemon.child, within: Self.limit, since: sent)
        #expect(!exit.killed)
        #expect(exit.result.status == 0, "\(exit.result.stderr)")
    }

    /// `main` is synchronous and parks the main thread (`ProcessEntry.runParked`): with an `async` main it
    /// ended in `dispatch_main()`, whose `pthread_exit` unwound it through the whole binary's unwind tables
    /// (2.4 MB of idle RSS) before libdispatch left it in `sigsuspend` for good.
    @Test func theMainThreadWaitsInsteadOfExitingThroughDispatchMain() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sig-")
        defer { dir.remove() }
        let receiver = try NotifyReceiver(path: dir.appending("notify.sock"))
        defer { receiver.close() }
        let daemon = try DaemonProcess(root: dir.path, environment: ["NOTIFY_SOCKET": receiver.path])
        #expect(await receiver.waitFor { $0.contains("READY=1") } != nil)
        let pid = daemon.child.pid
        let wchan = try String(contentsOfFile: "/proc/\(pid)/task/\(pid)/wchan", encoding: .utf8)
        #expect(!wchan.isEmpty && wchan != "0", "this kernel does not report wchan")
        #expect(!wchan.contains("sigsuspend"), "the main thread is in \(wchan)")
        #expect(await daemon.stop().status == 0)
    }

    @Test func secondTododOnTheSameHTTPPortFailsAndTheFirstKeepsServing() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sig-")
        defer { dir.remove() }
        let receiver = try NotifyReceiver(path: dir.appending("notify.sock"))
        defer { receiver.close() }
        try makeDirectory(dir.appending("one"), mode: 0o700)
        let first = try DaemonProcess(
            root: dir.appending("one"), extraArguments: ["--http", "127.0.0.1:0"], environment: ["NOTIFY_SOCKET": receiver.path])
        let ready = try #require(await receiver.waitFor { $0.contains("READY=1") })
        let address = try #require(ready.text.split(separator: " ").first { $0.hasPrefix("http=") }?.dropFirst(5))
        let started = ContinuousClock.now
        let second = try spawnTodod([
            "--data-dir", dir.appending("two-data"), "--control-socket", dir.appending("two.sock"), "--http", String(address),
        ])
        let exit = await awaitExit(of: second, within: Self.limit, since: started)
        #expect(!exit.killed)
        #expect(exit.result.status == 1)
        #expect(exit.result.stderr.contains("cannot listen on HTTP address \(address)"), "\(exit.result.stderr)")
        #expect(access(dir.appending("two.sock"), F_OK) != 0, "the second one bound nothing")
        let status = try await ControlClient(socketPath: first.socketPath).call(ControlMethods.Status.self, EmptyParams())
        #expect(status.http == String(address))
        #expect(await first.stop().status == 0)
    }
}
