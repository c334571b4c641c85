import Foundation
import SystemdSupport
import Testing
import TodoControl
import TodoCore
import TodoDaemon
import TodoTesting

// MARK: - Two todod instances on one PostgreSQL database (in process)

/// The test cluster as `scripts/test` describes it.
enum PostgresTestEnvironment {
    /// `TODOD_TEST_DATABASE_URL`, when set.
    static var url: String? {
        ProcessInfo.processInfo.environment["TODOD_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    /// Runs with a database URL, and must run (and fail without one) when `TODOD_REQUIRE_POSTGRES=1`.
    static var enabled: Bool { url != nil || ProcessInfo.processInfo.environment["TODOD_REQUIRE_POSTGRES"] == "1" }
}

@Suite("todod on PostgreSQL: two instances", .enabled(if: PostgresTestEnvironment.enabled), .timeLimit(.minutes(3)))
struct PostgresDaemonTests {

    static func httpPort(_ daemon: Daemon) throws -> Int {
        let listener = try #require(daemon.runtime.httpListener)
        return try #require(listener.split(separator: ":").last.flatMap { Int($0) })
    }

    @Test("A token and a browser session from one instance work on the other; sign-out holds on both; tasks are shared")
    func sharedTasksTokensAndSessions() async throws {
        let url = try #require(PostgresTestEnvironment.url, "TODOD_TEST_DATABASE_URL is unset but TODOD_REQUIRE_POSTGRES=1")
        let configure: (inout DaemonOverrides) -> Void = {
            $0.databaseURL = url
            $0.http = "127.0.0.1:0"
        }
        try await withRunningDaemon(configure: configure) { a, socketA, sinkA in
            try await withRunningDaemon(configure: configure) { b, socketB, _ in
                let (portA, portB) = (try Self.httpPort(a), try Self.httpPort(b))
                #expect(sinkA.messages.contains { $0.hasPrefix("STATUS=connecting to database postgres://") })
                #expect(!sinkA.messages.contains { $0.hasPrefix("STATUS=recovering") }, "no file store in PostgreSQL mode")
                let status = try await ControlClient(socketPath: socketB).call(ControlMethods.Status.self, EmptyParams())
                #expect(status.storeLocation?.hasPrefix("postgres://") == true)
                if let password = URLComponents(string: url)?.password, !password.isEmpty {
                    #expect(status.storeLocation?.contains(password) == false, "no password in the location")
                }

                // A bearer token issued by A is accepted by B; a task added through B is listed by A.
                let user = try UserID("pg-\(UUID().uuidString.prefix(8).lowercased())")
                let token = try await ControlClient(socketPath: socketA).call(
                    ControlMethods.IssueToken.self, IssueTokenParams(ttlSeconds: 600, user: user)).token
                let bearer = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
                let added = try await loopbackHTTP("POST", port: portB, path: "/api/tasks", headers: bearer, body: #"{"title":"added through B"}"#)
                #expect(added.status == 201, "\(added.body)")
                let listed = try await loopbackHTTP("GET", port: portA, path: "/api/tasks", headers: bearer)
                #expect(listed.status == 200)
                #expect(listed.body.contains("added through B"))

                // A browser session signed in on A is valid on B; signing out on A ends it on B too.
                let code = try await ControlClient(socketPath: socketA).call(ControlMethods.LoginCode.self, EmptyParams()).code
                let login = try await loopbackHTTP(
                    "POST", port: portA, path: "/api/session", headers: ["Content-Type": "application/json"], body: #"{"code":"\#(code)"}"#)
                #expect(login.status == 200, "\(login.body)")
                let cookie = try #require(login.header("set-cookie")?.split(separator: ";").first.map(String.init))
                let onB = try await loopbackHTTP("GET", port: portB, path: "/api/session", headers: ["Cookie": cookie])
                #expect(onB.status == 200, "\(onB.body)")
                let logout = try await loopbackHTTP(
                    "POST", port: portA, path: "/api/session/logout", headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(portA)"])
                #expect(logout.status == 200, "\(logout.body)")
                let afterOnB = try await loopbackHTTP("GET", port: portB, path: "/api/session", headers: ["Cookie": cookie])
                #expect(afterOnB.status == 401, "signed out on every instance: \(afterOnB.body)")
            }
        }
    }
}
