#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoTesting

// MARK: - Start-up that fails fast and says why (the real binary)

/// Each failure before READY ends `todod` with status 1 within the bound, and its stderr names the cause
/// and the address or path.
@Suite("todod start-up failures", .serialized, .timeLimit(.minutes(3)))
struct StartupFailureTests {
    /// Far below any start-up timeout (systemd: 90 s) yet loose enough for a loaded CI machine (a 5 s bound flaked).
    static let limit: Duration = .seconds(20)

    /// Runs todod in `dir` with `arguments` (after `--data-dir`/`--control-socket` defaults unless given) and
    /// checks the failure contract; returns stderr.
    @discardableResult
    func expectStartupFailure(
        _ arguments: [String], in dir: TemporaryDirectory, environment: [String: String] = [:], prefix: [String] = [],
        naming needles: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        var args = arguments
        if !args.contains("--data-dir") { args += ["--data-dir", dir.appending("data")] }
        if !args.contains("--control-socket") { args += ["--control-socket", dir.appending("todod.sock")] }
        if !args.contains("--http") { args += ["--http", "off"] }
        let started = ContinuousClock.now
        let child = try spawnTodod(args, environment: environment, prefix: prefix)
        let exit = await awaitExit(of: child, within: Self.limit, since: started)
        #expect(!exit.killed, "todod hung: \(exit.result.stderr)", sourceLocation: sourceLocation)
        #expect(exit.result.status == 1, "status \(exit.result.status): \(exit.result.stderr)", sourceLocation: sourceLocation)
        #expect(exit.elapsed < Self.limit, sourceLocation: sourceLocation)
        for needle in needles {
            #expect(exit.result.stderr.contains(needle), "stderr should name \(needle): \(exit.result.stderr)", sourceLocation: sourceLocation)
        }
        let critical = exit.result.stderr.split(separator: "\n").filter { $0.contains("cannot start") || $0.contains("critical") }
        #expect(critical.count == 1, "one line names the cause: \(exit.result.stderr)", sourceLocation: sourceLocation)
        return exit.result.stderr
    }

    @Test func httpAddressInUseExitsWithTheAddressAndErrno() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        let taken = try OccupiedPort()
        defer { taken.close() }
        let receiver = try NotifyReceiver(path: dir.appending("notify.sock"))
        defer { receiver.close() }
        let address = "127.0.0.1:\(taken.port)"
        try await expectStartupFailure(
            ["--http", address], in: dir, environment: ["NOTIFY_SOCKET": receiver.path], naming: [address, "in use"])
        let status = await receiver.waitFor(timeout: .seconds(2)) { $0.contains("ERRNO=") }
        let text = try #require(status?.text, "messages: \(receiver.messages.map(\.text))")
        #expect(text.contains("STATUS=failed to start: cannot listen on HTTP address \(address)"))
        #expect(text.contains("ERRNO=\(EADDRINUSE)"))
        #expect(!receiver.messages.contains { $0.text.contains("READY=1") })
    }

    @Test func httpAddressNotAvailableExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        // 192.0.2.0/24 is TEST-NET-1: never a local address.
        try await expectStartupFailure(["--http", "192.0.2.1:8765"], in: dir, naming: ["192.0.2.1:8765", "EADDRNOTAVAIL"])
    }

    @Test(.enabled(if: privilegedPortsNeedRoot && without("net_bind_service") != nil, "needs privileged ports and a way to drop CAP_NET_BIND_SERVICE"))
    func httpAddressNotPermittedExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        try await expectStartupFailure(
            ["--http", "127.0.0.1:81"], in: dir, prefix: without("net_bind_service") ?? [], naming: ["127.0.0.1:81", "EACCES"])
    }

    @Test func controlSocketPathUnusableExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        let file = dir.appending("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let socket = file + "/todod.sock"
        try await expectStartupFailure(["--control-socket", socket], in: dir, naming: [socket])
    }

    @Test func dataDirectoryThatIsAFileExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        let file = dir.appending("not-a-dir")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        try await expectStartupFailure(["--data-dir", file], in: dir, naming: [file, "not a directory"])
    }

    @Test(.enabled(if: withoutDACOverride != nil, "root without setpriv cannot be denied a directory"))
    func dataDirectoryNotWritableExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        let data = dir.appending("readonly")
        try makeDirectory(data, mode: 0o500)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: data) }
        try await expectStartupFailure(["--data-dir", data], in: dir, prefix: withoutDACOverride ?? [], naming: [data])
    }

    @Test func dataDirectoryLockedByAnotherTododExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        let first = try DaemonProcess(root: dir.path)
        try await first.waitUntilReady()
        let stderr = try await expectStartupFailure(
            ["--data-dir", first.dataDirectory, "--control-socket", dir.appending("second.sock")], in: dir,
            naming: [first.dataDirectory])
        #expect(stderr.contains("stop it first"))
        // The first one is untouched.
        let stopped = await first.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
    }

    @Test func badConfigurationValuesExit() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        try await expectStartupFailure([], in: dir, environment: ["TODOD_IDLE_TIMEOUT": "soon"], naming: ["TODOD_IDLE_TIMEOUT", "soon"])
        try await expectStartupFailure(["--log-level", "loud"], in: dir, naming: ["--log-level", "loud"])
        let config = dir.appending("todod.conf")
        try Data("max_streams_per_user = 0\n".utf8).write(to: URL(fileURLWithPath: config))
        try await expectStartupFailure(["--config", config], in: dir, naming: ["max_streams_per_user in \(config)"])
        try await expectStartupFailure(["--config", dir.appending("missing.conf")], in: dir, naming: [dir.appending("missing.conf")])
    }

    @Test func unreadableSecretExits() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-su-")
        defer { dir.remove() }
        let missing = dir.appending("no-such-secret")
        try await expectStartupFailure(["--auth-secret-file", missing], in: dir, naming: [missing, "No such file"])
        let short = dir.appending("short-secret")
        try Data("too short\n".utf8).write(to: URL(fileURLWithPath: short))
        try await expectStartupFailure(["--auth-secret-file", short], in: dir, naming: [short, "at least 32"])
        // The data directory's own secret file, when it cannot be read (a directory in its place).
        try makeDirectory(dir.appending("data2"), mode: 0o700)
        try makeDirectory(dir.appending("data2/auth-secret"), mode: 0o700)
        try await expectStartupFailure(
            ["--data-dir", dir.appending("data2")], in: dir, environment: ["BETTER_AUTH_SECRET": ""],
            naming: [dir.appending("data2")])
    }
}

/// Whether binding port 81 needs privileges here (`net.ipv4.ip_unprivileged_port_start` above 81).
let privilegedPortsNeedRoot: Bool = {
    guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8),
          let start = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return true }
    return start > 81
}()
