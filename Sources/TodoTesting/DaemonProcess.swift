#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TodoControl

// MARK: - A real todod

/// A `todod` child process with its own data directory and control socket.
public final class DaemonProcess: Sendable {
    /// The data directory.
    public let dataDirectory: String
    /// The control socket path.
    public let socketPath: String
    /// The environment the daemon runs with (also right for `todoctl`: it has `TODOD_CONTROL_SOCKET`).
    public let environment: [String: String]
    /// The child.
    public let child: ChildProcess

    /// Starts `todod --data-dir DIR --control-socket SOCK --http off` plus `extraArguments`.
    /// - Parameters:
    ///   - root: a directory that holds `data/` and `todod.sock`.
    ///   - extraArguments: more flags.
    ///   - environment: extra environment entries (for example `NOTIFY_SOCKET`).
    ///   - unsetting: names removed from the environment after merging (for example `BETTER_AUTH_SECRET`, so
    ///     the daemon makes or shares its own secret).
    public init(root: String, extraArguments: [String] = [], environment extra: [String: String] = [:], unsetting: [String] = []) throws {
        dataDirectory = root + "/data"
        socketPath = root + "/todod.sock"
        var env = DaemonProcess.baseEnvironment()
        env["TODOD_CONTROL_SOCKET"] = socketPath
        env.merge(extra) { _, new in new }
        for name in unsetting { env[name] = nil }
        environment = env
        child = try ChildProcess(
            try BuildProducts.path(of: "todod"),
            ["--data-dir", dataDirectory, "--control-socket", socketPath, "--http", "off"] + extraArguments, environment: env)
    }

    /// A minimal environment: PATH, HOME, a fast auth secret; nothing from systemd.
    public static func baseEnvironment() -> [String: String] {
        let parent = ProcessInfo.processInfo.environment
        var env: [String: String] = ["PATH": parent["PATH"] ?? "/usr/bin:/bin", "HOME": parent["HOME"] ?? "/tmp", "LANG": "C.UTF-8"]
        env["BETTER_AUTH_SECRET"] = "test-secret-test-secret-test-secret-0123456789"
        env["SWIFT_BACKTRACE"] = "enable=no"
        return env
    }

    /// Waits until the control socket answers `status` (or the process exits / the timeout passes).
    /// - Parameter timeout: how long to wait.
    public func waitUntilReady(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        let client = ControlClient(socketPath: socketPath)
        while ContinuousClock.now < deadline {
            if kill(child.pid, 0) != 0 { break }
            if (try? await client.call(ControlMethods.Status.self, EmptyParams())) != nil { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        child.send(SIGKILL)
        let result = await child.wait()
        throw TestingError("todod did not become ready (status \(result.status)): \(result.stderr)")
    }

    /// SIGTERM, then waits for the exit.
    public func stop() async -> ProcessResult {
        child.send(SIGTERM)
        return await child.wait()
    }

    /// SIGKILL, then waits for the exit.
    public func kill9() async -> ProcessResult {
        child.send(SIGKILL)
        return await child.wait()
    }
}

// MARK: - todoctl

/// Runs `todoctl` with `arguments` against `environment` (which should carry `TODOD_CONTROL_SOCKET`).
/// - Parameters:
///   - arguments: the arguments.
///   - environment: the environment.
///   - stdin: bytes for stdin.
public func runTodoctl(_ arguments: [String], environment: [String: String], stdin: [UInt8]? = nil) async throws -> ProcessResult {
    try await runProcess(try BuildProducts.path(of: "todoctl"), arguments, environment: environment, stdin: stdin)
}
