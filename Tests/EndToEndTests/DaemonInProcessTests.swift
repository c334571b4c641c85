import Foundation
import Logging
import SystemdSupport
import Testing
import TodoControl
import TodoCore
import TodoDaemon
import TodoStore
import TodoTesting

// MARK: - The composition root in-process

@Suite("Daemon composition root", .timeLimit(.minutes(2)))
struct DaemonInProcessTests {
    @Test func readyOnlyAfterRecoveryAndStoppingOnShutdown() async throws {
        let sink = try await withRunningDaemon { _, socket, sink in
            let messages = sink.messages
            #expect(messages.first?.hasPrefix("STATUS=recovering") == true)
            #expect(messages.contains { $0.hasPrefix("READY=1\nSTATUS=ready: control=") })
            let task = try await ControlClient(socketPath: socket).call(ControlMethods.AddTask.self, AddTaskParams(title: "in process"))
            #expect(task.title == "in process")
            return sink
        }
        #expect(sink.messages.last?.hasPrefix("STOPPING=1") == true)
    }

    @Test func storeFailureStopsTheDaemonWithAStoreError() async throws {
        let disk = SimulatedDisk()
        let dir = try TemporaryDirectory(prefix: "todod-fail-")
        defer { dir.remove() }
        var overrides = DaemonOverrides()
        overrides.dataDirectory = "/data"
        overrides.controlSocket = dir.appending("todod.sock")
        overrides.http = "off"
        let sink = RecordingNotifySink()
        let levels = LogLevelControl(.critical)
        let context = DaemonContext(
            environment: DaemonProcess.baseEnvironment(), notifier: SystemdNotifier(sink: sink), levelControl: levels,
            makeLogger: { Logger(label: $0) { JournalLogHandler(label: $0, usesPriorityPrefix: false, levelControl: levels, output: RecordingLogOutput()) } },
            storage: disk)
        let daemon = try await Daemon.start(overrides: overrides, context: context)
        let running = Task { try await daemon.run() }
        let client = ControlClient(socketPath: overrides.controlSocket!)
        _ = try await client.call(ControlMethods.AddTask.self, AddTaskParams(title: "before the fault"))
        disk.injectFault(.eio, at: 1, operation: .fsync, persistent: true)
        await #expect(throws: ControlError.self) {
            _ = try await client.call(ControlMethods.AddTask.self, AddTaskParams(title: "during the fault"))
        }
        do {
            try await running.value
            Issue.record("the daemon kept running after a store failure")
        } catch let error as DaemonError {
            #expect(error.isStoreFailure)
        }
        #expect(sink.messages.contains { $0.hasPrefix("STATUS=store failed") })
    }

    @Test func configurationPrecedenceIsFlagsThenEnvironmentThenFile() throws {
        var flags = DaemonOverrides()
        flags.http = "127.0.0.1:9000"
        let env = ["TODOD_HTTP": "127.0.0.1:9001", "TODOD_LOG_LEVEL": "debug", "HOME": "/home/x", "XDG_RUNTIME_DIR": "/run/user/7"]
        let file = ["http": "127.0.0.1:9002", "log_level": "error", "allowed_group": "todo", "chat_rate_limit": "5"]
        let config = try DaemonConfiguration.resolve(overrides: flags, environment: env, file: file, configFile: "/etc/todod.conf")
        #expect(config.http == "127.0.0.1:9000")
        #expect(config.logLevel == .debug)
        #expect(config.allowedGroup == "todo")
        #expect(config.chatRateLimit == 5)
        #expect(config.dataDirectory == "/home/x/.local/state/todod")
        #expect(config.controlSocket == "/run/user/7/todod/todod.sock")
        let systemd = DaemonConfiguration(defaultsFor: ["STATE_DIRECTORY": "/var/lib/todod", "RUNTIME_DIRECTORY": "/run/todod"])
        #expect(systemd.dataDirectory == "/var/lib/todod")
        #expect(systemd.controlSocket == "/run/todod/todod.sock")
        #expect(DaemonConfiguration(defaultsFor: ["XDG_STATE_HOME": "/s"]).dataDirectory == "/s/todod")
        #expect(DaemonConfiguration(defaultsFor: ["HOME": "/h"]).controlSocket.hasPrefix("/tmp/todod-"))
    }

    @Test func badConfigurationIsReportedWithItsSource() throws {
        #expect(throws: DaemonError.self) { try DaemonConfiguration.parseFile("nonsense line", path: "/c") }
        #expect(throws: DaemonError.self) { try DaemonConfiguration.parseFile("colour = blue", path: "/c") }
        let parsed = try DaemonConfiguration.parseFile("# c\n\nhttp = \"off\"\nlog-level=debug\n", path: "/c")
        #expect(parsed == ["http": "off", "log_level": "debug"])
        do {
            _ = try DaemonConfiguration.resolve(overrides: DaemonOverrides(), environment: ["TODOD_IDLE_TIMEOUT": "soon"], file: [:], configFile: nil)
            Issue.record("accepted a bad idle timeout")
        } catch let error as DaemonError {
            #expect(error.message.contains("TODOD_IDLE_TIMEOUT"))
        }
    }
}
