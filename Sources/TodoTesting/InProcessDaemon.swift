import Foundation
import Logging
public import SystemdSupport
import TodoControl
public import TodoStore
public import TodoDaemon
public import TodoCore

// MARK: - In-process daemon

/// Runs the real composition root (`Daemon`) inside the test process with a temporary data directory and
/// socket, recording sd_notify messages and log lines. `body` runs once READY=1 was sent.
/// - Parameters:
///   - extraEnvironment: more environment entries.
///   - storage: the disk under the store.
///   - clock: the daemon's wall clock (a `ManualWallClock` fixes "today").
///   - configure: adjusts the flags (data dir, socket and `--http off` are preset).
///   - body: gets the daemon, its socket path and the recorded notifications.
public func withRunningDaemon<R: Sendable>(
    extraEnvironment: [String: String] = [:],
    storage: any StorageBackend = POSIXStorage(),
    clock: any WallClock = SystemWallClock(),
    configure: (inout DaemonOverrides) -> Void = { _ in },
    _ body: (Daemon, String, RecordingNotifySink) async throws -> R
) async throws -> R {
    let dir = try TemporaryDirectory(prefix: "todod-inproc-")
    defer { dir.remove() }
    var overrides = DaemonOverrides()
    overrides.dataDirectory = dir.appending("data")
    overrides.controlSocket = dir.appending("todod.sock")
    overrides.http = "off"
    configure(&overrides)
    let sink = RecordingNotifySink()
    let output = RecordingLogOutput()
    let levels = LogLevelControl(.info)
    var environment = DaemonProcess.baseEnvironment()
    environment.merge(extraEnvironment) { _, new in new }
    var context = DaemonContext(
        environment: environment, notifier: SystemdNotifier(sink: sink), levelControl: levels,
        makeLogger: { label in Logger(label: label) { JournalLogHandler(label: $0, usesPriorityPrefix: false, levelControl: levels, output: output) } },
        clock: clock, storage: storage)
    // The shipped 3 s bound is for a daemon with the machine to itself; beside the whole parallel suite on two
    // cores a clean shutdown has taken longer, and the bound turned it into a CancellationError.
    context.shutdownLimit = .seconds(30)
    let daemon = try await Daemon.start(overrides: overrides, context: context)
    let running = Task { try await daemon.run() }
    do {
        let deadline = ContinuousClock.now + .seconds(20)
        while !sink.messages.contains(where: { $0.contains("READY=1") }) {
            guard ContinuousClock.now < deadline else { throw TestingError("the daemon never sent READY=1") }
            try await Task.sleep(for: .milliseconds(2))
        }
        let result = try await body(daemon, overrides.controlSocket!, sink)
        await daemon.triggerShutdown()
        try await running.value
        return result
    } catch {
        await daemon.triggerShutdown()
        _ = try? await running.value
        throw error
    }
}
