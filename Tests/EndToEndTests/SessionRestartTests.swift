import Foundation
import Testing
import TodoControl
import TodoTesting

// MARK: - Browser sessions across a real restart

/// A real `todod` with HTTP on a free loopback port: a browser session made from a one-time code keeps working
/// after SIGTERM and a restart; after sign-out it is refused, also after another restart.
@Suite("Browser sessions across restarts", .serialized, .timeLimit(.minutes(2)))
struct SessionRestartTests {
    /// Starts todod on `root` with HTTP on a free loopback port; returns it and the port once HTTP answers.
    static func start(_ root: String) async throws -> (DaemonProcess, Int) {
        let port = try freeLoopbackPort()
        let daemon = try DaemonProcess(root: root, extraArguments: ["--http", "127.0.0.1:\(port)"])
        try await daemon.waitUntilReady()
        try await waitForLoopbackHTTP(port: port)
        return (daemon, port)
    }

    /// `GET /api/session` with `cookie`; the status.
    static func whoAmI(_ cookie: String, port: Int) async throws -> LoopbackHTTPResponse {
        try await loopbackHTTP("GET", port: port, path: "/api/session", headers: ["Cookie": cookie])
    }

    @Test func aSessionSurvivesRestartUntilSignOut() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sess-")
        defer { dir.remove() }

        var (daemon, port) = try await Self.start(dir.path)
        let login = try await ControlClient(socketPath: daemon.socketPath).call(ControlMethods.LoginCode.self, EmptyParams())
        let signIn = try await loopbackHTTP(
            "POST", port: port, path: "/api/session", headers: ["Content-Type": "application/json"], body: #"{"code":"\#(login.code)"}"#)
        #expect(signIn.status == 200, "sign-in: \(signIn.body)")
        let setCookie = try #require(signIn.header("set-cookie"))
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        let cookie = String(setCookie.split(separator: ";")[0])
        let value = String(cookie.dropFirst("todod_session=".count))
        #expect(value.count >= 32)
        #expect(try await Self.whoAmI(cookie, port: port).status == 200)

        let file = daemon.dataDirectory + "/sessions.json"
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains(value), "the cookie value is never stored")

        #expect(await daemon.stop().status == 0)
        (daemon, port) = try await Self.start(dir.path)
        let after = try await Self.whoAmI(cookie, port: port)
        #expect(after.status == 200, "the session survived SIGTERM and a restart: \(after.body)")
        #expect(after.body.contains(#""via":"cookie""#))
        let tasks = try await loopbackHTTP("GET", port: port, path: "/api/tasks", headers: ["Cookie": cookie])
        #expect(tasks.status == 200)

        let logout = try await loopbackHTTP(
            "POST", port: port, path: "/api/session/logout", headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(port)"])
        #expect(logout.status == 200, "sign-out: \(logout.body)")
        #expect(try await Self.whoAmI(cookie, port: port).status == 401)

        #expect(await daemon.stop().status == 0)
        (daemon, port) = try await Self.start(dir.path)
        #expect(try await Self.whoAmI(cookie, port: port).status == 401, "sign-out survived the restart")
        #expect(await daemon.stop().status == 0)
    }
}
