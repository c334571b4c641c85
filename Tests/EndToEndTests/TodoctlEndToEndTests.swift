#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoCore
import TodoTesting

// MARK: - todoctl driving a real todod

@Suite("todoctl against a real todod", .serialized, .timeLimit(.minutes(3)))
struct TodoctlEndToEndTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func taskLifecycleWithJSONAndTables() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-e2e-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment

        let added = try await runTodoctl(["add", "Buy milk", "-d", "2 litres", "--json"], environment: env)
        #expect(added.status == 0, "\(added.stderr)")
        let task = try json(added.stdout)
        let id = try #require(task["id"] as? String)
        #expect(task["title"] as? String == "Buy milk")
        #expect(task["description"] as? String == "2 litres")
        #expect(task["completed"] as? Bool == false)
        #expect(task["created_at"] is String)

        let human = try await runTodoctl(["add", "Call mum"], environment: env)
        #expect(human.status == 0)
        #expect(human.stdout.hasPrefix("Added t_"))

        let table = try await runTodoctl(["list"], environment: env)
        #expect(table.stdout.contains("ID"))
        #expect(table.stdout.contains("Buy milk"))
        #expect(table.stdout.contains("Call mum"))

        #expect(try await runTodoctl(["done", id], environment: env).status == 0)
        let pending = try json(try await runTodoctl(["list", "--status", "pending", "--json"], environment: env).stdout)
        #expect((pending["tasks"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Call mum"])
        let completed = try json(try await runTodoctl(["list", "--status", "completed", "--json"], environment: env).stdout)
        #expect((completed["tasks"] as? [[String: Any]])?.first?["id"] as? String == id)

        #expect(try await runTodoctl(["undone", id], environment: env).status == 0)
        let edited = try json(try await runTodoctl(["edit", id, "--title", "Buy oat milk", "--description", "", "--json"], environment: env).stdout)
        #expect(edited["title"] as? String == "Buy oat milk")
        #expect(edited["description"] == nil)
        #expect(edited["completed"] as? Bool == false)

        let shown = try await runTodoctl(["show", id], environment: env)
        #expect(shown.stdout.contains("Buy oat milk"))
        #expect(try await runTodoctl(["rm", id], environment: env).status == 0)
        let missing = try await runTodoctl(["show", id], environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("not found"))

        let status = try json(try await runTodoctl(["status", "--json"], environment: env).stdout)
        #expect(status["pid"] as? Int == Int(daemon.child.pid))
        #expect(status["data_directory"] as? String == daemon.dataDirectory)
        #expect(status["store_location"] as? String == daemon.dataDirectory, "the file store is located in the data directory")
        #expect(try await runTodoctl(["status"], environment: env).stdout.contains("store           \(daemon.dataDirectory)"))
        #expect((status["tasks"] as? [String: Any])?["total"] as? Int == 1)
        let stopped = try await runTodoctl(["stop"], environment: env)
        #expect(stopped.status == 0)
        #expect(await daemon.child.wait().status == 0)
    }

    @Test func defaultDataDirectoryIsCreatedOnAFreshAccount() async throws {
        // HOME without ~/.local/state: the default data directory and its missing parents are created (0700).
        let dir = try TemporaryDirectory(prefix: "todod-home-")
        defer { dir.remove() }
        var env = DaemonProcess.baseEnvironment()
        env["HOME"] = dir.path
        let socket = dir.appending("todod.sock")
        env["TODOD_CONTROL_SOCKET"] = socket
        let daemon = try ChildProcess(try BuildProducts.path(of: "todod"), ["--http", "off"], environment: env)
        var status: ProcessResult?
        for _ in 0..<400 {
            status = try? await runTodoctl(["status", "--json"], environment: env)
            if status?.status == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status?.status == 0, "todod did not come up: \(status?.stderr ?? "")")
        #expect(status?.stdout.contains(dir.path + "/.local/state/todod") == true)
        // FileManager, not stat(): with MemberImportVisibility, `st_mode` resolves to CDispatch's copy of
        // `struct stat` in a clean build once another file of this target imports Glibc.
        for path in [dir.path + "/.local/state/todod", dir.path + "/.local/state"] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode.map { $0 & 0o777 } == 0o700, "\(path)")
        }
        daemon.send(SIGTERM)
        #expect(await daemon.wait().status == 0)
    }

    @Test func exitCodesAndMessages() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-e2e-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment
        let usage = try await runTodoctl(["frobnicate"], environment: env)
        #expect(usage.status == 2)
        let badID = try await runTodoctl(["done", "../etc"], environment: env)
        #expect(badID.status == 2)
        let emptyTitle = try await runTodoctl(["add", "   "], environment: env)
        #expect(emptyTitle.status == 1)
        #expect(emptyTitle.stderr.contains("title"))
        let longTitle = try await runTodoctl(["add", String(repeating: "x", count: 201), "--json"], environment: env)
        #expect(longTitle.status == 1)
        #expect(longTitle.stdout.isEmpty)
        _ = await daemon.stop()

        let gone = try await runTodoctl(["list"], environment: env)
        #expect(gone.status == 1)
        #expect(gone.stderr.contains(daemon.socketPath))
        #expect(gone.stderr.contains("Start the daemon with `todod`"))
    }

    @Test func secondDaemonOnTheSameDataDirectoryIsRefused() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-e2e-")
        defer { dir.remove() }
        let first = try DaemonProcess(root: dir.path)
        try await first.waitUntilReady()
        let second = try await runProcess(
            try BuildProducts.path(of: "todod"),
            ["--data-dir", first.dataDirectory, "--control-socket", dir.appending("second.sock"), "--http", "off"],
            environment: DaemonProcess.baseEnvironment())
        #expect(second.status != 0)
        #expect(second.stderr.contains("another todod (pid \(first.child.pid))"))
        // The first one still serves.
        #expect(try await runTodoctl(["status"], environment: first.environment).status == 0)
        #expect(await first.stop().status == 0)
    }

    @Test func exportImportBackupAndWatch() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-e2e-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment
        let watcher = try ChildProcess(try BuildProducts.path(of: "todoctl"), ["watch", "--json", "--count", "1"], environment: env)
        // The watcher subscribes at some point: add a task until it has seen one and exited (bounded).
        var watcherExited = false
        for _ in 0..<60 where !watcherExited {
            _ = try await runTodoctl(["add", "Exported task"], environment: env)
            watcherExited = await waitUntil(timeout: .milliseconds(500)) { kill(watcher.pid, 0) != 0 }
        }
        #expect(watcherExited, "todoctl watch --count 1 saw a change")
        let event = await watcher.wait()
        #expect(event.status == 0)
        #expect(try json(event.stdout)["kind"] as? String == "created")

        let file = dir.appending("export.json")
        #expect(try await runTodoctl(["export", file], environment: env).status == 0)
        let backup = try await runTodoctl(["backup", dir.appending("backup")], environment: env)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appending("backup")))
        #expect(try await runTodoctl(["compact"], environment: env).status == 0)
        _ = await daemon.stop()

        let fresh = try TemporaryDirectory(prefix: "todod-e2e-")
        defer { fresh.remove() }
        let other = try DaemonProcess(root: fresh.path)
        try await other.waitUntilReady()
        let imported = try await runTodoctl(["import", file], environment: other.environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        let list = try await runTodoctl(["list"], environment: other.environment)
        #expect(list.stdout.contains("Exported task"))
        _ = await other.stop()
    }

    @Test func completionScriptsAreGenerated() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try await runTodoctl(["--generate-completion-script", shell], environment: DaemonProcess.baseEnvironment())
            #expect(result.status == 0)
            #expect(result.stdout.contains("todoctl"))
            #expect(result.stdout.contains("watch"))
        }
        let help = try await runTodoctl(["--help"], environment: DaemonProcess.baseEnvironment())
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS"))
    }

    @Test func helpDocumentsFlagsEnvironmentAndDefaults() async throws {
        let help = try await runProcess(try BuildProducts.path(of: "todod"), ["--help"], environment: DaemonProcess.baseEnvironment())
        #expect(help.status == 0)
        for needle in ["--data-dir", "TODOD_DATA_DIR", "--database-url", "TODOD_DATABASE_URL", "DATABASE_URL", "--control-socket", "TODOD_CONTROL_SOCKET", "--config", "STATE_DIRECTORY", "XDG_RUNTIME_DIR", "127.0.0.1:8765", "SIGHUP"] {
            #expect(help.stdout.contains(needle), "missing \(needle)")
        }
    }

    @Test func sighupReloadsTheLogLevel() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-e2e-")
        defer { dir.remove() }
        let config = dir.appending("todod.conf")
        try "# test\nlog_level = info\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(root: dir.path, extraArguments: ["--config", config])
        try await daemon.waitUntilReady()
        _ = try await runTodoctl(["list"], environment: daemon.environment)
        try "log_level = debug\n".write(toFile: config, atomically: true, encoding: .utf8)
        daemon.child.send(SIGHUP)
        #expect(await waitUntil { daemon.child.stderrSoFar.contains("configuration reloaded") }, "SIGHUP was handled")
        _ = try await runTodoctl(["list"], environment: daemon.environment)
        let result = await daemon.stop()
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        let reload = try #require(lines.firstIndex { $0.contains("configuration reloaded") })
        #expect(lines[..<reload].filter { $0.contains("todo.rpc.method=tasks.list") }.isEmpty)
        #expect(lines[reload...].contains { $0.contains("debug todo.control: request todo.rpc.method=tasks.list") })
    }
}
