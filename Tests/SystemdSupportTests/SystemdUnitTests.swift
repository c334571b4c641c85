import Logging
import SystemdSupport
import Testing
import TodoTesting

// MARK: - Notifier and log handler (no I/O)

@Suite("Systemd notifier and journal handler")
struct SystemdUnitTests {
    @Test func notifierFormatsStates() {
        let sink = RecordingNotifySink()
        let notifier = SystemdNotifier(sink: sink)
        notifier.ready(status: "ready: a\nb")
        notifier.status("3 tasks")
        notifier.watchdog()
        notifier.stopping()
        #expect(sink.messages == ["READY=1\nSTATUS=ready: a b", "STATUS=3 tasks", "WATCHDOG=1", "STOPPING=1\nSTATUS=stopping"])
        notifier.reloading()
        #expect(sink.messages.last?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
    }

    @Test func watchdogPingsOnlyWhileHealthyAndStopsOnCancel() async throws {
        let sink = RecordingNotifySink(watchdogInterval: .milliseconds(40))
        let notifier = SystemdNotifier(sink: sink)
        let healthy = Task { await notifier.runWatchdog { true } }
        // Wait for three pings (bounded), rather than a fixed sleep that a loaded machine can outrun.
        for _ in 0..<500 where sink.messages.filter({ $0 == "WATCHDOG=1" }).count < 3 {
            try await Task.sleep(for: .milliseconds(10))
        }
        healthy.cancel()
        await healthy.value
        let pings = sink.messages.filter { $0 == "WATCHDOG=1" }.count
        #expect(pings >= 3)

        let unhealthySink = RecordingNotifySink(watchdogInterval: .milliseconds(40))
        let checks = SignalCounter()
        let unhealthy = Task { await SystemdNotifier(sink: unhealthySink).runWatchdog { checks.increment(); return false } }
        // Three failed health checks (bounded wait), then not one ping may have gone out.
        #expect(await waitUntil { checks.value >= 3 }, "the watchdog kept checking")
        unhealthy.cancel()
        await unhealthy.value
        #expect(unhealthySink.messages.isEmpty)
    }

    @Test func watchdogIsANoOpWhenDisabled() async {
        let sink = RecordingNotifySink(watchdogInterval: nil)
        await SystemdNotifier(sink: sink).runWatchdog { true }  // returns at once
        #expect(sink.messages.isEmpty)
    }

    @Test func realSinkIsANoOpOutsideSystemd() {
        // NOTIFY_SOCKET is not set in the test environment: sd_notify does nothing and nothing throws.
        SystemdNotifier().ready(status: "test")
        #expect(SDNotifySink().watchdogInterval == nil || SDNotifySink().watchdogInterval != nil)
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func levelsMapToSyslogPriorities(level: Logger.Level, priority: Int) {
        #expect(JournalLogHandler.priority(of: level) == priority)
        let line = JournalLogHandler.format(level: level, label: "todo.x", message: "hi", metadata: [:], priorityPrefix: true, timestamp: nil)
        #expect(line == "<\(priority)>todo.x: hi")
    }

    @Test func plainLinesCarryTimestampLevelAndSortedMetadata() {
        let line = JournalLogHandler.format(
            level: .warning, label: "todo.x", message: "two\nlines", metadata: ["b": "2", "a": "1"], priorityPrefix: false, timestamp: "T")
        #expect(line == "T warning todo.x: two lines a=1 b=2")
    }

    @Test func handlerFollowsTheSharedLevel() {
        let output = RecordingLogOutput()
        let levels = LogLevelControl(.info)
        let logger = Logger(label: "todo.t") { JournalLogHandler(label: $0, usesPriorityPrefix: true, levelControl: levels, output: output) }
        logger.debug("hidden")
        logger.info("shown", metadata: ["k": "v"])
        levels.level = .debug
        logger.debug("now shown")
        #expect(output.lines == ["<6>todo.t: shown k=v", "<7>todo.t: now shown"])
    }

    @Test func journalStreamMustMatchStderr() {
        #expect(!JournalStream.stderrIsJournal(environment: [:]))
        #expect(!JournalStream.stderrIsJournal(environment: ["JOURNAL_STREAM": "1:2"]))
        #expect(!JournalStream.stderrIsJournal(environment: ["JOURNAL_STREAM": "garbage"]))
    }
}
