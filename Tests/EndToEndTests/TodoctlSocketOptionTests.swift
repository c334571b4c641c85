import Foundation
import Testing
import TodoTesting

// MARK: - --socket before or after the subcommand

@Suite("todoctl --socket as a global option", .serialized, .timeLimit(.minutes(2)))
struct TodoctlSocketOptionTests {
    @Test func socketWorksBeforeAndAfterTheSubcommand() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-sockopt-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path]  // no TODOD_CONTROL_SOCKET: only the flag finds it
        for arguments in [
            ["--socket", daemon.socketPath, "status", "--json"], ["status", "--socket", daemon.socketPath, "--json"],
            ["--socket=\(daemon.socketPath)", "--json", "status"], ["--json", "--socket", daemon.socketPath, "list"],
        ] {
            let result = try await runTodoctl(arguments, environment: env)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.hasPrefix("{"), "\(arguments): --json before or after applies: \(result.stdout)")
        }
        let added = try await runTodoctl(["--socket", daemon.socketPath, "add", "via global flag"], environment: env)
        #expect(added.status == 0, "\(added.stderr)")
        let list = try await runTodoctl(["list", "--socket", daemon.socketPath], environment: env)
        #expect(list.stdout.contains("via global flag"))
        let help = try await runTodoctl(["--help"], environment: env)
        #expect(help.stdout.contains("--socket"))
        #expect(await daemon.stop().status == 0)
    }
}
