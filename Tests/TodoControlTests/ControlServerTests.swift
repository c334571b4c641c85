#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Testing
import TodoControl
import TodoCore
import TodoTesting

// MARK: - Server over a real socket

@Suite("Control server", .timeLimit(.minutes(2)))
struct ControlServerTests {
    /// Runs a server with `FakeControlHandler` on a fresh socket until `body` returns.
    func withServer<R: Sendable>(
        maxLine: Int = 1 << 20, idle: Duration = .seconds(60), mode: UInt32 = 0o600, policy: PeerPolicy? = nil,
        handler: FakeControlHandler = FakeControlHandler(), _ body: (String, ControlServer) async throws -> R
    ) async throws -> R {
        let dir = try TemporaryDirectory(prefix: "todod-ctl-")
        defer { dir.remove() }
        let path = dir.appending("s/ctl.sock")
        let access = ControlAccess(policy: policy ?? PeerPolicy(daemonUID: getuid()))
        let server = try await ControlServer.bind(
            configuration: ControlServerConfiguration(listener: .path(path, mode: mode), maxLineBytes: maxLine, idleTimeout: idle),
            handler: handler, access: access, logger: Logger(label: "todo.test"))
        let running = Task { try await server.run() }
        defer { server.initiateShutdown() }
        let result = try await body(path, server)
        server.initiateShutdown()
        try await running.value
        return result
    }

    @Test func typedClientRoundTrip() async throws {
        try await withServer { path, _ in
            let client = ControlClient(socketPath: path)
            let task = try await client.call(ControlMethods.AddTask.self, AddTaskParams(title: "  Buy milk ", description: "2 l"))
            #expect(task.title == "Buy milk")
            let list = try await client.call(ControlMethods.ListTasks.self, ListTasksParams())
            #expect(list.tasks.map(\.id) == [task.id])
            let status = try await client.call(ControlMethods.Status.self, EmptyParams())
            #expect(status.user == (try UserID(String(cString: getpwuid(getuid()).pointee.pw_name))))
            await #expect(throws: ControlError.self) {
                _ = try await client.call(ControlMethods.GetTask.self, TaskIDParams(id: try TaskID("t_missing")))
            }
        }
    }

    @Test func socketFileHasModeAndIsRemovedOnShutdown() async throws {
        let path = try await withServer { path, _ in
            let fm = FileManager.default
            let socketMode = try fm.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            let dirMode = try fm.attributesOfItem(atPath: (path as NSString).deletingLastPathComponent)[.posixPermissions] as? Int
            #expect(socketMode == 0o600)
            #expect(dirMode == 0o700)
            return path
        }
        #expect(access(path, F_OK) != 0)
    }

    @Test func badInputGetsErrorsAndTheConnectionStaysUsable() async throws {
        try await withServer { path, _ in
            let raw = try RawLineClient(path: path)
            defer { raw.close() }
            await raw.sendLine("this is not json")
            #expect(try errorCode(await raw.readLine()) == -32700)
            await raw.sendLine(#"{"jsonrpc":"2.0","id":2,"method":"nope"}"#)
            #expect(try errorCode(await raw.readLine()) == -32601)
            await raw.sendLine(#"{"jsonrpc":"2.0","id":3,"method":"tasks.add","params":{"description":"no title"}}"#)
            let line = await raw.readLine()
            #expect(try errorCode(line) == -32602)
            #expect(line?.contains(#""field":"title""#) == true)
            await raw.sendLine(#"{"jsonrpc":"2.0","id":4,"method":"status"}"#)
            #expect(await raw.readLine()?.contains(#""result""#) == true)
        }
    }

    @Test func overLongLineClosesOnlyThatConnection() async throws {
        try await withServer(maxLine: 4096) { path, _ in
            let other = try RawLineClient(path: path)
            defer { other.close() }
            await other.sendLine(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#)
            #expect(await other.readLine()?.contains("result") == true)

            let bad = try RawLineClient(path: path)
            defer { bad.close() }
            await bad.send(Array(repeating: UInt8(ascii: "a"), count: 10_000))
            let reply = await bad.readLine()
            #expect(try errorCode(reply) == -32600)
            #expect(reply?.contains("exceeds 4096 bytes") == true)
            #expect(await bad.readsEOF())

            await other.sendLine(#"{"jsonrpc":"2.0","id":2,"method":"tasks.list"}"#)
            #expect(await other.readLine()?.contains(#""tasks""#) == true)
            let task = try await ControlClient(socketPath: path).call(ControlMethods.AddTask.self, AddTaskParams(title: "still fine"))
            #expect(task.title == "still fine")
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        try await withServer(idle: .milliseconds(200)) { path, _ in
            // The client never writes; only the server's 200 ms idle timer can end the connection. readsEOF is
            // true for the server's close and false when the client's own 30 s receive timeout runs out, so no
            // wall-clock bound is needed (one flaked beside the whole parallel suite on two cores).
            let raw = try RawLineClient(path: path, timeout: 30)
            defer { raw.close() }
            #expect(await raw.readsEOF())
        }
    }

    @Test func halfClosedClientStillGetsItsAnswer() async throws {
        try await withServer { path, _ in
            let result = try await runProcess(
                "/usr/bin/socat", ["-t5", "-", "UNIX-CONNECT:\(path)"], environment: ["PATH": "/usr/bin:/bin"],
                stdin: Array(#"{"jsonrpc":"2.0","id":9,"method":"status"}"#.utf8) + [10])
            #expect(result.status == 0)
            #expect(result.stdout.contains(#""id":9"#))
            #expect(result.stdout.contains(#""result""#))
        }
    }

    @Test func subscribersReceiveNotifications() async throws {
        try await withServer { path, _ in
            let watcher = try RawLineClient(path: path)
            defer { watcher.close() }
            await watcher.sendLine(#"{"jsonrpc":"2.0","id":1,"method":"events.subscribe"}"#)
            #expect(await watcher.readLine()?.contains("events.task") == true)
            _ = try await ControlClient(socketPath: path).call(ControlMethods.AddTask.self, AddTaskParams(title: "watch me"))
            let note = await watcher.readLine()
            #expect(note?.contains(#""method":"events.task""#) == true)
            #expect(note?.contains("watch me") == true)
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to run a client as nobody (setpriv)"))
    func disallowedUIDIsRefused() async throws {
        try await withServer(mode: 0o666) { path, _ in
            let socketDir = (path as NSString).deletingLastPathComponent
            chmod(socketDir, 0o755)
            chmod((socketDir as NSString).deletingLastPathComponent, 0o755)
            let result = try await runProcess(
                "/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/socat", "-t5", "-", "UNIX-CONNECT:\(path)"],
                environment: ["PATH": "/usr/bin:/bin"], stdin: Array(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#.utf8) + [10])
            #expect(result.stdout.contains("-32001"))
            #expect(result.stdout.contains("uid 65534 is not allowed"))
            #expect(!result.stdout.contains(#""result""#))
            // The server is unaffected.
            _ = try await ControlClient(socketPath: path).call(ControlMethods.Status.self, EmptyParams())
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to run a client as nobody (setpriv)"))
    func memberOfTheAllowedGroupIsAdmitted() async throws {
        try await withServer(mode: 0o666, policy: PeerPolicy(daemonUID: getuid(), allowedGID: 65534)) { path, _ in
            let socketDir = (path as NSString).deletingLastPathComponent
            chmod(socketDir, 0o755)
            chmod((socketDir as NSString).deletingLastPathComponent, 0o755)
            let result = try await runProcess(
                "/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/socat", "-t5", "-", "UNIX-CONNECT:\(path)"],
                environment: ["PATH": "/usr/bin:/bin"], stdin: Array(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#.utf8) + [10])
            #expect(result.stdout.contains(#""user":"nobody""#))
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let handler = FakeControlHandler(delay: .milliseconds(300))
        try await withServer(handler: handler) { path, server in
            let pending = Task { try await ControlClient(socketPath: path).call(ControlMethods.AddTask.self, AddTaskParams(title: "slow")) }
            // Shut down only once the request is in flight (bounded wait, not a fixed sleep).
            for _ in 0..<500 where handler.requestsStarted == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(handler.requestsStarted == 1)
            server.initiateShutdown()
            let task = try await pending.value
            #expect(task.title == "slow")
        }
    }

    @Test func secondServerOnALiveSocketIsRefused() async throws {
        try await withServer { path, _ in
            await #expect(throws: ControlError.socketInUse(path)) {
                _ = try await ControlServer.bind(
                    configuration: ControlServerConfiguration(listener: .path(path)), handler: FakeControlHandler(),
                    access: ControlAccess(policy: PeerPolicy(daemonUID: getuid())), logger: Logger(label: "todo.test"))
            }
        }
    }
}

/// The `error.code` of a response line.
func errorCode(_ line: String?) throws -> Int? {
    guard let line else { return nil }
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    return (object?["error"] as? [String: Any])?["code"] as? Int
}
