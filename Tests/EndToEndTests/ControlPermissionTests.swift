#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoTesting

// MARK: - The permission table, as a real group member against a real root todod

/// Every row of `ControlPermissions`, run as a real non-root member of `--allowed-group` (created here)
/// through `setpriv`, against a real todod running as root. Operator methods must be refused with nothing
/// written or read; self-service methods must work and stay scoped to the member's own user.
@Suite(
    "control-socket permissions: a group member against a root todod", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: getuid() == 0, "needs root: creates a user and a group, and runs todoctl as that user"))
struct ControlPermissionTests {
    static let group = "todod-ptest"
    static let member = "todod-pmember"

    /// A root todod with `--allowed-group`, a member account and helpers to run todoctl as either.
    struct Setup {
        let dir: TemporaryDirectory
        let daemon: DaemonProcess
        let memberHome: String
        /// The HTTP port, when started with `http: true`.
        let port: Int?

        init(http: Bool = false) async throws {
            try await Self.ensureAccounts()
            dir = try TemporaryDirectory(prefix: "todod-perm-")
            chmod(dir.path, 0o755)  // the member must reach the socket (0660, group-owned) inside it
            memberHome = dir.appending("home")
            try FileManager.default.createDirectory(atPath: memberHome, withIntermediateDirectories: false)
            let pw = try #require(getpwnam(ControlPermissionTests.member))
            chown(memberHome, pw.pointee.pw_uid, pw.pointee.pw_gid)
            let port = http ? try freeLoopbackPort() : nil
            self.port = port
            daemon = try DaemonProcess(
                root: dir.path, extraArguments: ["--allowed-group", ControlPermissionTests.group] + (port.map { ["--http", "127.0.0.1:\($0)"] } ?? []))
            try await daemon.waitUntilReady()
            if let port { try await waitForLoopbackHTTP(port: port) }
        }

        static func ensureAccounts() async throws {
            let env = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
            if getgrnam(ControlPermissionTests.group) == nil {
                let made = try await runProcess("/usr/sbin/groupadd", [ControlPermissionTests.group], environment: env)
                try #require(made.status == 0 || getgrnam(ControlPermissionTests.group) != nil, "groupadd: \(made.stderr)")
            }
            if getpwnam(ControlPermissionTests.member) == nil {
                let made = try await runProcess(
                    "/usr/sbin/useradd", ["-M", "-s", "/usr/sbin/nologin", "-G", ControlPermissionTests.group, ControlPermissionTests.member],
                    environment: env)
                try #require(made.status == 0 || getpwnam(ControlPermissionTests.member) != nil, "useradd: \(made.stderr)")
            }
        }

        /// todoctl as root (an operator).
        func root(_ arguments: [String]) async throws -> ProcessResult {
            try await runTodoctl(arguments, environment: daemon.environment)
        }

        /// The member's environment: only what a login would give, plus the socket.
        var memberEnvironment: [String: String] {
            ["PATH": "/usr/bin:/bin", "HOME": memberHome, "LANG": "C.UTF-8", "TODOD_CONTROL_SOCKET": daemon.socketPath]
        }

        func setprivArguments(_ command: [String]) -> [String] {
            ["--reuid=\(ControlPermissionTests.member)", "--regid=\(ControlPermissionTests.member)", "--init-groups", "--"] + command
        }

        /// todoctl as the member.
        func member(_ arguments: [String], stdin: [UInt8]? = nil) async throws -> ProcessResult {
            try await runProcess(
                "/usr/bin/setpriv", setprivArguments([try BuildProducts.path(of: "todoctl")] + arguments), environment: memberEnvironment, stdin: stdin)
        }

        /// One raw JSON-RPC line as the member (for methods todoctl would not send as a member).
        func memberRaw(_ line: String) async throws -> String {
            let result = try await runProcess(
                "/usr/bin/setpriv", setprivArguments(["/usr/bin/socat", "-t5", "-", "UNIX-CONNECT:\(daemon.socketPath)"]),
                environment: memberEnvironment, stdin: Array(line.utf8) + [10])
            return result.stdout
        }

        /// Runs `body` with a fresh setup and always stops the daemon and removes the directory.
        static func run(http: Bool = false, _ body: (Setup) async throws -> Void) async throws {
            let setup = try await Setup(http: http)
            do {
                try await body(setup)
            } catch {
                await setup.finish()
                throw error
            }
            await setup.finish()
        }

        func finish() async {
            _ = await daemon.stop()
            dir.remove()
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    static func titles(_ listJSON: String) throws -> [String] {
        ((try object(listJSON)["tasks"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }.sorted()
    }

    @Test func memberWorksOnItsOwnTasksAndStatusOnly() async throws {
        try await Setup.run { s in
            #expect(try await s.root(["add", "root secret"]).status == 0)
            let added = try await s.member(["add", "member task", "--json"])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(try Self.titles(try await s.member(["list", "--json"]).stdout) == ["member task"])
            #expect(try Self.titles(try await s.root(["list", "--json"]).stdout) == ["root secret"])
            let status = try Self.object(try await s.member(["status", "--json"]).stdout)
            #expect(status["user"] as? String == Self.member)
            #expect(status["role"] as? String == "member")
            #expect(status["store"] == nil, "a member must not see store-wide statistics")
            let rootStatus = try Self.object(try await s.root(["status", "--json"]).stdout)
            #expect(rootStatus["role"] as? String == "operator")
            #expect(rootStatus["store"] != nil)
        }
    }

    @Test func operatorMethodsAreRefusedForAMemberWithNothingDone() async throws {
        try await Setup.run { s in
            #expect(try await s.root(["add", "root secret"]).status == 0)

            let compact = try await s.member(["compact"])
            #expect(compact.status == 1)
            #expect(compact.stderr.contains("forbidden: data.compact needs the operator role"), "\(compact.stderr)")

            let stop = try await s.member(["stop"])
            #expect(stop.status == 1)
            #expect(stop.stderr.contains("forbidden: shutdown needs the operator role"), "\(stop.stderr)")

            let token = try await s.member(["token", "--user", "root"])
            #expect(token.status == 1)
            #expect(token.stderr.contains("forbidden: token.issue"), "\(token.stderr)")
            #expect(!token.stdout.contains("."), "no token may be printed")

            let target = s.dir.appending("daemon-backup")
            let backup = try await s.memberRaw(#"{"jsonrpc":"2.0","id":1,"method":"data.backup","params":{"directory":"\#(target)"}}"#)
            #expect(backup.contains("-32001") && backup.contains("data.backup"), "\(backup)")
            #expect(!FileManager.default.fileExists(atPath: target), "the daemon wrote a backup for a member")
            for method in ["data.compact", "shutdown"] {
                let raw = try await s.memberRaw(#"{"jsonrpc":"2.0","id":7,"method":"\#(method)"}"#)
                #expect(raw.contains(#""code":-32001"#) && raw.contains(#""required_role":"operator""#), "\(method): \(raw)")
            }
            // Still running, root's data untouched and still readable by root.
            #expect(try Self.titles(try await s.root(["list", "--json"]).stdout) == ["root secret"])
            #expect(kill(s.daemon.child.pid, 0) == 0)
        }
    }

    @Test func memberTokensAndEventsAreItsOwn() async throws {
        try await Setup.run { s in
            let token = try await s.member(["token"])
            #expect(token.status == 0, "\(token.stderr)")
            #expect(token.stdout.split(separator: ".").count == 3, "a JWT for the member: \(token.stdout)")
            let named = try await s.member(["token", "--user", Self.member])
            #expect(named.status == 0, "naming yourself is allowed: \(named.stderr)")

            // The member's watch sees only the member's changes, even though root writes first every round.
            let watcher = try ChildProcess(
                "/usr/bin/setpriv", s.setprivArguments([try BuildProducts.path(of: "todoctl"), "watch", "--json", "--count", "1"]),
                environment: s.memberEnvironment)
            var round = 0
            while kill(watcher.pid, 0) == 0, round < 100 {
                round += 1
                _ = try await s.root(["add", "root \(round)"])
                _ = try await s.member(["add", "member \(round)"])
            }
            watcher.send(SIGKILL)
            let event = await watcher.wait()
            let task = try #require(try Self.object(event.stdout)["task"] as? [String: Any], "no event within \(round) rounds: \(event.stderr)")
            #expect((task["title"] as? String)?.hasPrefix("member ") == true, "\(event.stdout)")
        }
    }

    @Test func exportImportAndBackupAreScopedToTheMember() async throws {
        try await Setup.run { s in
            #expect(try await s.root(["add", "root secret"]).status == 0)
            #expect(try await s.member(["add", "member task"]).status == 0)

            let export = try Self.object(try await s.member(["export", "--json"]).stdout)
            let users = (export["users"] as? [[String: Any]])?.compactMap { $0["user"] as? String }
            #expect(users == [Self.member], "a member's export holds only its own data")

            // An import naming root lands in the member's own user.
            let planted = """
                {"format":"todod.export","version":1,"exported_at":"2026-01-01T00:00:00Z","users":[{"user":"root","threads":[],\
                "tasks":[{"id":"t_planted0000000000000001","title":"planted","completed":false,\
                "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}]}]}
                """
            let imported = try await s.member(["import", "-"], stdin: Array(planted.utf8))
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(try Self.titles(try await s.root(["list", "--json"]).stdout) == ["root secret"])
            #expect(try Self.titles(try await s.member(["list", "--json"]).stdout) == ["member task", "planted"])

            // backup: the member's own data, written by todoctl with the member's uid.
            let target = s.memberHome + "/backup"
            let backup = try await s.member(["backup", target])
            #expect(backup.status == 0, "\(backup.stderr)")
            let file = target + "/\(Self.member).todod-export.json"
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getpwnam(Self.member)?.pointee.pw_uid)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("member task") && !text.contains("root secret"))

            // The operator still exports and backs up everyone.
            let all = try Self.object(try await s.root(["export", "--json"]).stdout)
            #expect(Set((all["users"] as? [[String: Any]])?.compactMap { $0["user"] as? String } ?? []) == ["root", Self.member])
            #expect(try await s.root(["backup", s.dir.appending("full-backup")]).status == 0)
            #expect(FileManager.default.fileExists(atPath: s.dir.appending("full-backup/users/\(Self.member)/tasks.jsonl")))
        }
    }

    @Test func outsidersAreToldPermissionDeniedAndWhichGroupToJoin() async throws {
        try await Setup.run { s in
            let nobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", try BuildProducts.path(of: "todoctl")]
            let env = ["PATH": "/usr/bin:/bin", "HOME": "/tmp"]
            // The socket is 0660 and owned by the allowed group: connect() fails with EACCES.
            let denied = try await runProcess("/usr/bin/setpriv", nobody + ["--socket", s.daemon.socketPath, "status"], environment: env)
            #expect(denied.status == 1)
            #expect(denied.stderr.contains("permission denied"), "\(denied.stderr)")
            #expect(denied.stderr.contains("group '\(Self.group)'"), "\(denied.stderr)")
            #expect(!denied.stderr.contains("not running"))
            // A directory on the path that the user may not search: stat() fails with EACCES, still not "not running".
            let hidden = s.dir.appending("hidden")
            try FileManager.default.createDirectory(atPath: hidden, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let unreachable = try await runProcess("/usr/bin/setpriv", nobody + ["--socket", hidden + "/todod.sock", "status"], environment: env)
            #expect(unreachable.status == 1)
            #expect(unreachable.stderr.contains("permission denied"), "\(unreachable.stderr)")
            // Really no daemon: the message says so and how to start one.
            let none = try await runTodoctl(["--socket", s.dir.appending("absent.sock"), "status"], environment: ["PATH": "/usr/bin:/bin"])
            #expect(none.status == 1)
            #expect(none.stderr.contains("todod is not running") && none.stderr.contains("no socket at that path"), "\(none.stderr)")
        }
    }

    @Test func memberSignInCodeSignsInAsTheMember() async throws {
        try await Setup.run(http: true) { s in
            let port = try #require(s.port)
            let open = try await s.member(["open", "--json", "--no-browser"])
            #expect(open.status == 0, "\(open.stderr)")
            let code = try #require(try Self.object(open.stdout)["code"] as? String)
            let signIn = try await loopbackHTTP(
                "POST", port: port, path: "/api/session", headers: ["Content-Type": "application/json"], body: #"{"code":"\#(code)"}"#)
            #expect(signIn.status == 200, "sign-in: \(signIn.body)")
            let cookie = String(try #require(signIn.header("set-cookie")).split(separator: ";")[0])
            let session = try await loopbackHTTP("GET", port: port, path: "/api/session", headers: ["Cookie": cookie])
            #expect(session.status == 200)
            #expect(session.body.contains(#""\#(Self.member)""#), "the browser is signed in as the member: \(session.body)")
        }
    }
}
