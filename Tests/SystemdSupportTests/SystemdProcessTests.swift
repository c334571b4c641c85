#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoControl
import TodoTesting

// MARK: - The real todod under systemd-like conditions

@Suite("todod and systemd", .serialized, .timeLimit(.minutes(3)))
struct SystemdProcessTests {
    @Test func notifyMessagesArriveInOrder() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sd-")
        defer { dir.remove() }
        let receiver = try NotifyReceiver(path: dir.appending("notify.sock"))
        defer { receiver.close() }
        let daemon = try DaemonProcess(
            root: dir.path, environment: ["NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "200000"])
        let ready = await receiver.waitFor { $0.contains("READY=1") }
        #expect(ready != nil)
        // The socket accepts by the time READY=1 was sent.
        let status = try await ControlClient(socketPath: daemon.socketPath).call(ControlMethods.Status.self, EmptyParams())
        #expect(status.dataDirectory == daemon.dataDirectory)
        // Two watchdog pings (every 100 ms), waited for with a bound rather than a fixed sleep.
        for _ in 0..<500 where receiver.messages.filter({ $0.text == "WATCHDOG=1" }).count < 2 {
            try await Task.sleep(for: .milliseconds(10))
        }
        let result = await daemon.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        _ = await receiver.waitFor(timeout: .seconds(2)) { $0.contains("STOPPING=1") }
        let texts = receiver.messages.map(\.text)
        let firstStatus = try #require(texts.firstIndex { $0.hasPrefix("STATUS=") })
        let readyIndex = try #require(texts.firstIndex { $0.contains("READY=1") })
        let watchdogIndex = try #require(texts.firstIndex { $0 == "WATCHDOG=1" })
        let stoppingIndex = try #require(texts.firstIndex { $0.contains("STOPPING=1") })
        #expect(firstStatus < readyIndex)  // "STATUS=recovering ..." during recovery
        #expect(texts[readyIndex].contains("STATUS=ready"))
        #expect(readyIndex < watchdogIndex)
        #expect(watchdogIndex < stoppingIndex)
        #expect(texts.filter { $0 == "WATCHDOG=1" }.count >= 2)  // every 100 ms for WATCHDOG_USEC=200000
        #expect(stoppingIndex == texts.count - 1 || !texts[(stoppingIndex + 1)...].contains { $0.contains("READY=1") })
    }

    @Test func socketActivationAdoptsTheSocketAndNeverUnlinksIt() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sa-")
        defer { dir.remove() }
        let socketPath = dir.appending("activated.sock")
        var env = DaemonProcess.baseEnvironment()
        env["TODOD_CONTROL_SOCKET"] = dir.appending("unused.sock")
        let activator = try ChildProcess(
            "/usr/bin/systemd-socket-activate",
            ["-l", socketPath, "--fdname=control", "-E", "BETTER_AUTH_SECRET=" + env["BETTER_AUTH_SECRET"]!, "-E", "HOME=" + dir.path,
             try BuildProducts.path(of: "todod"), "--data-dir", dir.appending("data"), "--http", "off"],
            environment: env)
        var waited = 0
        while access(socketPath, F_OK) != 0 && waited < 500 { try await Task.sleep(for: .milliseconds(10)); waited += 1 }
        // The first connection starts the daemon; its queued request is answered.
        let status = try await ControlClient(socketPath: socketPath).call(ControlMethods.Status.self, EmptyParams())
        #expect(status.controlSocket == "fd:3")
        #expect(access(dir.appending("unused.sock"), F_OK) != 0)
        _ = try await ControlClient(socketPath: socketPath).call(ControlMethods.Shutdown.self, EmptyParams())
        let result = await activator.wait()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(access(socketPath, F_OK) == 0, "the systemd-owned socket file must survive shutdown")
    }

    @Test func journalPrefixesOnlyWhenStderrIsTheJournal() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-jr-")
        defer { dir.remove() }
        let todod = try BuildProducts.path(of: "todod")
        var env = DaemonProcess.baseEnvironment()
        env["JOURNAL_TODOD"] = todod
        env["JOURNAL_DIR"] = dir.path
        // JOURNAL_STREAM names the stderr pipe itself (device:inode), as systemd does for StandardError=journal.
        let script = #"export JOURNAL_STREAM=$(stat -L -c '%d:%i' /proc/self/fd/2); exec "$JOURNAL_TODOD" --data-dir "$JOURNAL_DIR/data" --control-socket "$JOURNAL_DIR/j.sock" --http off"#
        let journal = try ChildProcess("/bin/sh", ["-c", script], environment: env)
        try await waitForSocket(dir.appending("j.sock"))
        journal.send(SIGTERM)
        let withJournal = await journal.wait()
        let lines = withJournal.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("<6>") || $0.hasPrefix("<5>") || $0.hasPrefix("<4>") || $0.hasPrefix("<7>") })
        #expect(lines.contains { $0.hasPrefix("<6>todo.daemon: ready") })

        let plain = try ChildProcess(todod, ["--data-dir", dir.appending("data"), "--control-socket", dir.appending("p.sock"), "--http", "off"],
                                     environment: env.merging(["JOURNAL_STREAM": "1:1"]) { _, new in new })
        try await waitForSocket(dir.appending("p.sock"))
        plain.send(SIGTERM)
        let withoutJournal = await plain.wait()
        #expect(!withoutJournal.stderr.contains("<6>"))
        #expect(withoutJournal.stderr.contains(" info todo.daemon: ready"))
    }

    func waitForSocket(_ path: String) async throws {
        for _ in 0..<1000 {
            if (try? await ControlClient(socketPath: path).call(ControlMethods.Status.self, EmptyParams())) != nil { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestingError("no daemon on \(path)")
    }
}
