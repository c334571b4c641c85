import Foundation
import Logging
import SystemdSupport
import Testing
import TodoDaemon
import TodoTesting

// MARK: - A listener that fails inside the running group

/// The hang seen on main: the HTTP service failed inside the group, and the notifier kept waiting for its
/// readiness, so graceful shutdown never finished and SIGTERM was ignored. Now the group ends with the error.
@Suite("A failing service ends the group", .timeLimit(.minutes(1)))
struct ServiceGroupFailureTests {
    @Test func anHTTPSocketThatCannotBeServedEndsRunWithAnError() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-grp-")
        defer { dir.remove() }
        // A descriptor that is not a socket: the HTTP server fails when it adopts it, after the group started.
        let notASocket = open("/dev/null", O_RDONLY)
        #expect(notASocket >= 0)
        var overrides = DaemonOverrides()
        overrides.dataDirectory = dir.appending("data")
        overrides.controlSocket = dir.appending("todod.sock")
        let sink = RecordingNotifySink()
        let levels = LogLevelControl(.critical)
        let context = DaemonContext(
            environment: DaemonProcess.baseEnvironment(), notifier: SystemdNotifier(sink: sink), levelControl: levels,
            makeLogger: { Logger(label: $0) { JournalLogHandler(label: $0, usesPriorityPrefix: false, levelControl: levels, output: RecordingLogOutput()) } },
            inheritedSockets: [InheritedSocket(fd: notASocket, name: "http")])
        let daemon = try await Daemon.start(overrides: overrides, context: context)
        let started = ContinuousClock.now
        await #expect(throws: DaemonError.self) { try await daemon.run() }
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(!sink.messages.contains { $0.contains("READY=1") }, "never READY without the HTTP listener: \(sink.messages)")
    }
}
