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

/// Serialises `Process.run()` calls (see `ChildProcess.init`).
private let spawnLock = Mutex(())

/// A started child process whose output is captured.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; it is only touched through its thread-safe API (pid, signals,
    // terminationHandler) and the pipes are read on their own threads.
    private let process: Process
    private let outPipe = Pipe()
    private let errPipe = Pipe()
    private let finished: Task<ProcessResult, Never>

    /// The child's pid.
    public var pid: Int32 { process.processIdentifier }

    /// Starts `executable` with `arguments` and exactly `environment`.
    /// - Parameters:
    ///   - executable: absolute path.
    ///   - arguments: the arguments.
    ///   - environment: the complete environment.
    ///   - stdin: bytes for stdin (closed after), or nil for /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = outPipe
        process.standardError = errPipe
        let inPipe = stdin.map { _ in Pipe() }
        process.standardInput = inPipe ?? FileHandle.nullDevice
        let (exitStream, exitContinuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { p in
            exitContinuation.yield(p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus)
            exitContinuation.finish()
        }
        // Foundation's Process.run is not safe to call from several threads at once on Linux (seen here: a
        // memmove fault inside Process.run while the kill -9 test spawned todoctl processes concurrently),
        // so spawns are serialised; the children still run concurrently.
        try spawnLock.withLock { _ in try process.run() }
        if let inPipe, let stdin {
            inPipe.fileHandleForWriting.write(Data(stdin))
            try? inPipe.fileHandleForWriting.close()
        }
        self.process = process
        let outHandle = outPipe.fileHandleForReading
        let errHandle = errPipe.fileHandleForReading
        let out = Self.readAll(outHandle)
        let err = Self.readAll(errHandle)
        finished = Task {
            var status: Int32 = -1
            for await s in exitStream { status = s }
            return ProcessResult(status: status, stdout: await out.value, stderr: await err.value)
        }
    }

    private static func readAll(_ handle: FileHandle) -> Task<String, Never> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let fd = handle.fileDescriptor
        Thread.detachNewThread {
            // A raw read loop: FileHandle.readDataToEndOfFile traps on EINTR.
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 { data += buffer[0..<n]; continue }
                if n < 0, errno == EINTR { continue }
                break
            }
            continuation.yield(String(decoding: data, as: UTF8.self))
            continuation.finish()
        }
        return Task { await stream.first { _ in true } ?? "" }
    }

    /// Sends `signal` to the child.
    /// - Parameter signal: for example `SIGTERM` or `SIGKILL`.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the child to exit and returns its status and output.
    public func wait() async -> ProcessResult { await finished.value }
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
