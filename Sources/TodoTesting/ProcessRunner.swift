#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

// MARK: - Running a binary

/// The outcome of one process run.
public struct ProcessResult: Sendable {
    /// The exit status (128 + signal when killed by a signal).
    public var status: Int32
    /// Everything written to stdout.
    public var stdout: String
    /// Everything written to stderr.
    public var stderr: String
}

/// Serialises pipe creation and `posix_spawn` (see `ChildProcess.init`).
private let spawnLock = NSLock()

/// A started child process whose output is captured.
///
/// Spawned with `posix_spawn` directly: Foundation's `Process.run()` crashed here (SIGSEGV in a memmove inside
/// `Process.run`, twice in CI) while the kill -9 test spawned hundreds of todoctl processes, even with the
/// spawns serialised.
public final class ChildProcess: Sendable {
    private let finished: Task<ProcessResult, Never>
    private let liveStderr: LiveOutput

    /// What the child wrote to stderr so far (for waiting on a log line while it runs).
    public var stderrSoFar: String { liveStderr.bytes.withLock { String(decoding: $0, as: UTF8.self) } }

    /// The child's pid.
    public let pid: Int32

    /// Starts `executable` with `arguments` and exactly `environment`.
    /// - Parameters:
    ///   - executable: absolute path.
    ///   - arguments: the arguments.
    ///   - environment: the complete environment.
    ///   - stdin: bytes for stdin (closed after), or nil for /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8]? = nil) throws {
        var outFDs: [Int32] = [-1, -1]
        var errFDs: [Int32] = [-1, -1]
        var inFDs: [Int32] = [-1, -1]
        // Pipes are made close-on-exec and the child spawned under one lock, so no other spawn of this
        // process inherits their ends (pipe2 is not visible from Swift's Glibc module).
        spawnLock.lock()
        defer { spawnLock.unlock() }
        guard pipe(&outFDs) == 0, pipe(&errFDs) == 0, pipe(&inFDs) == 0 else {
            throw SpawnError(message: "pipe failed: errno \(errno)")
        }
        for fd in outFDs + errFDs + inFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin != nil {
            posix_spawn_file_actions_adddup2(&actions, inFDs[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errFDs[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signals and default handlers, whatever this test process set up.
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(outFDs[1])
        close(errFDs[1])
        close(inFDs[0])
        guard rc == 0 else {
            [outFDs[0], errFDs[0], inFDs[1]].forEach { _ = close($0) }
            throw SpawnError(message: "posix_spawn \(executable) failed: errno \(rc)")
        }
        if let stdin { Self.writeAll(stdin, to: inFDs[1]) }
        close(inFDs[1])
        pid = child
        let out = Self.readAll(outFDs[0])
        let live = LiveOutput()
        liveStderr = live
        let err = Self.readAll(errFDs[0]) { chunk in live.bytes.withLock { $0 += chunk } }
        let exit = Self.waitForExit(child)
        finished = Task {
            let status = await exit.value
            return ProcessResult(status: status, stdout: await out.value, stderr: await err.value)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0, errno == EINTR { continue }
            return
        }
    }

    /// Reaps the child on its own thread: its exit status, or 128 + the signal that killed it.
    private static func waitForExit(_ pid: pid_t) -> Task<Int32, Never> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7f
            continuation.yield(signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            continuation.finish()
        }
        return Task { await stream.first { _ in true } ?? -1 }
    }

    private static func readAll(_ fd: Int32, onChunk: @escaping @Sendable (ArraySlice<UInt8>) -> Void = { _ in }) -> Task<String, Never> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        Thread.detachNewThread {
            // A raw read loop: FileHandle.readDataToEndOfFile traps on EINTR.
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 { data += buffer[0..<n]; onChunk(buffer[0..<n]); continue }
                if n < 0, errno == EINTR { continue }
                break
            }
            close(fd)
            continuation.yield(String(decoding: data, as: UTF8.self))
            continuation.finish()
        }
        return Task { await stream.first { _ in true } ?? "" }
    }

    /// Sends `signal` to the child.
    /// - Parameter signal: for example `SIGTERM` or `SIGKILL`.
    public func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the child to exit and returns its status and output.
    public func wait() async -> ProcessResult { await finished.value }
}

/// Output collected while a child runs.
private final class LiveOutput: Sendable {
    let bytes = Mutex<[UInt8]>([])
}

/// Runs a binary to completion.
/// - Parameters:
///   - executable: absolute path.
///   - arguments: the arguments.
///   - environment: the complete environment.
///   - stdin: bytes for stdin.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8]? = nil) async throws -> ProcessResult {
    try await ChildProcess(executable, arguments, environment: environment, stdin: stdin).wait()
}

/// A child process could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    /// What failed.
    public var message: String
    public var description: String { message }
}
