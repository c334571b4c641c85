import Foundation
import Logging
import Synchronization
import SystemdSupport
import Testing
import TodoCore
@testable import TodoDaemon
import TodoPostgres
import TodoTesting

// MARK: - Opening the database at start-up

/// What a fake opener saw: attempts, and the waits it was asked to sleep.
private final class OpenerLog: Sendable {
    private let state = Mutex<(attempts: Int, sleeps: [Duration], waits: [String])>((0, [], []))
    var attempts: Int { state.withLock { $0.attempts } }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
    var waits: [String] { state.withLock { $0.waits } }
    func attempt() -> Int { state.withLock { $0.attempts += 1; return $0.attempts } }
    func slept(_ d: Duration) { state.withLock { $0.sleeps.append(d) } }
    func waited(_ message: String) { state.withLock { $0.waits.append(message) } }
}

@Suite("todod start-up: waiting for the database", .timeLimit(.minutes(2)))
struct DatabaseStartupTests {
    static let down = PostgresStoreError(message: "cannot reach postgres://todod@db:5432/todod: connection refused", isTransient: true)

    @Test("Transient failures are retried with 0.25 s doubling backoff, each reported; then the store opens")
    func retriesUntilOpen() async throws {
        let log = OpenerLog()
        let opened = try await DatabaseStartup.openWithRetry(
            open: { () async throws -> String in
                if log.attempt() <= 4 { throw Self.down }
                return "store"
            },
            sleep: { log.slept($0) },
            onWait: { error, delay in log.waited("\(error.message) (retry in \(delay))") })
        #expect(opened == "store")
        #expect(log.attempts == 5)
        #expect(log.sleeps == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)])
        #expect(log.waits.count == 4)
        #expect(log.waits.allSatisfy { $0.hasPrefix(Self.down.message) })
    }

    @Test("The wait doubles up to 5 s and stays there")
    func backoffIsCapped() {
        let waits = (1...9).map { DatabaseStartup.delay(afterFailures: $0) }
        #expect(waits == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5), .seconds(5)])
    }

    @Test("A non-transient error ends start-up at once, without a wait")
    func permanentErrorIsNotRetried() async throws {
        let log = OpenerLog()
        let refused = PostgresStoreError(message: "postgres://todod@db:5432/todod refused the credentials", isTransient: false)
        await #expect(throws: PostgresStoreError.self) {
            _ = try await DatabaseStartup.openWithRetry(
                open: { () async throws -> Int in
                    if log.attempt() == 1 { throw Self.down }
                    throw refused
                },
                sleep: { log.slept($0) }, onWait: { _, _ in })
        }
        #expect(log.attempts == 2)
        #expect(log.sleeps == [.milliseconds(250)])
    }

    @Test("Cancellation during the wait ends the loop at once")
    func cancellationEndsTheWait() async throws {
        let log = OpenerLog()
        let waiting = Task {
            try await DatabaseStartup.openWithRetry(
                open: { () async throws -> Int in _ = log.attempt(); throw Self.down },
                sleep: { try await Task.sleep(for: .seconds(3600 + $0.components.seconds)) },
                onWait: { error, _ in log.waited(error.message) })
        }
        #expect(await waitUntil { log.waits.count == 1 })
        let cancelled = ContinuousClock.now
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(ContinuousClock.now - cancelled < .seconds(10))
        #expect(log.attempts == 1, "no attempt after the cancellation")
    }

    @Test("Daemon.start with an unreachable database: STATUS=waiting (no password), no READY; cancelling ends it")
    func daemonWaitsAndStopsOnCancel() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-db-wait-")
        defer { dir.remove() }
        // A port nothing listens on: connection refused, a transient failure.
        let port = try freeLoopbackPort()
        var overrides = DaemonOverrides()
        overrides.dataDirectory = dir.appending("data")
        overrides.controlSocket = dir.appending("todod.sock")
        overrides.http = "off"
        overrides.databaseURL = "postgres://todod:hunter2-secret@127.0.0.1:\(port)/todod?sslmode=disable&connect_timeout=1"
        let sink = RecordingNotifySink()
        let levels = LogLevelControl(.critical)
        let output = RecordingLogOutput()
        let context = DaemonContext(
            environment: DaemonProcess.baseEnvironment(), notifier: SystemdNotifier(sink: sink), levelControl: levels,
            makeLogger: { Logger(label: $0) { JournalLogHandler(label: $0, usesPriorityPrefix: false, levelControl: levels, output: output) } })
        let starting = Task { try await Daemon.start(overrides: overrides, context: context) }
        let waiting = await waitUntil(timeout: .seconds(60)) { sink.messages.contains { $0.hasPrefix("STATUS=waiting for database ") } }
        #expect(waiting, "no STATUS=waiting: \(sink.messages)")
        let status = sink.messages.first { $0.hasPrefix("STATUS=waiting for database ") } ?? ""
        #expect(status.hasPrefix("STATUS=waiting for database postgres://todod@127.0.0.1:\(port)/todod"))
        #expect(!sink.messages.joined().contains("hunter2-secret"))
        let warnings = output.lines.filter { $0.contains("database unreachable; retrying") }
        #expect(!warnings.isEmpty, "\(output.lines)")
        #expect(warnings.allSatisfy { $0.contains("postgres://todod@127.0.0.1:\(port)/todod") })
        #expect(!output.lines.joined().contains("hunter2-secret"))
        let cancelled = ContinuousClock.now
        starting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await starting.value }
        #expect(ContinuousClock.now - cancelled < .seconds(15))
        #expect(!sink.messages.contains { $0.hasPrefix("READY=1") })
        #expect(!FileManager.default.fileExists(atPath: dir.appending("todod.sock")), "no control socket before the store opened")
        #expect(!FileManager.default.fileExists(atPath: dir.appending("data/todod.lock")), "no file-store lock in PostgreSQL mode")
    }
}
