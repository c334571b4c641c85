import CSystemd
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// MARK: - Sink

/// Where notification state strings go: `sd_notify` for real, an array in tests.
public protocol NotifySink: Sendable {
    /// Sends one state string (for example `READY=1\nSTATUS=ready`).
    /// - Parameter state: newline-separated `KEY=VALUE` assignments.
    func send(_ state: String)
    /// The watchdog interval systemd asked for, or nil when the watchdog is off.
    var watchdogInterval: Duration? { get }
}

/// `sd_notify(3)`: a no-op when `NOTIFY_SOCKET` is unset.
public struct SDNotifySink: NotifySink {
    public init() {}

    public func send(_ state: String) {
        _ = sd_notify(0, state)
    }

    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }
}

/// Records every state string, for tests.
public final class RecordingNotifySink: NotifySink {
    private let recorded = Mutex<[String]>([])
    /// The interval `watchdogInterval` reports.
    public let watchdogInterval: Duration?

    /// - Parameter watchdogInterval: what to report as the watchdog interval.
    public init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    public func send(_ state: String) { recorded.withLock { $0.append(state) } }

    /// Everything sent so far, in order.
    public var messages: [String] { recorded.withLock { $0 } }
}

// MARK: - Notifier

/// The service-manager notifications todod sends (sd_notify(3)); all no-ops outside systemd.
public struct SystemdNotifier: Sendable {
    private let sink: any NotifySink

    /// - Parameter sink: where notifications go (default: `sd_notify`).
    public init(sink: any NotifySink = SDNotifySink()) {
        self.sink = sink
    }

    /// `READY=1` plus a status line: recovery is done and the listeners accept connections.
    /// - Parameter status: the `STATUS=` text.
    public func ready(status: String) { sink.send("READY=1\nSTATUS=\(Self.clean(status))") }

    /// A `STATUS=` line.
    /// - Parameter status: the text.
    public func status(_ status: String) { sink.send("STATUS=\(Self.clean(status))") }

    /// `STOPPING=1`: graceful shutdown began.
    /// - Parameter status: the `STATUS=` text.
    public func stopping(status: String = "stopping") { sink.send("STOPPING=1\nSTATUS=\(Self.clean(status))") }

    /// `RELOADING=1` with `MONOTONIC_USEC`, sent before a configuration reload; follow it with `ready(status:)`.
    public func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let usec = UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
        sink.send("RELOADING=1\nMONOTONIC_USEC=\(usec)\nSTATUS=reloading configuration")
    }

    /// `STATUS=` with why start-up failed, plus `ERRNO=` when a system error number is known; sent just
    /// before the process exits non-zero.
    /// - Parameters:
    ///   - status: the `STATUS=` text.
    ///   - errno: the error number, if any.
    public func failed(status: String, errno: Int32?) {
        sink.send("STATUS=\(Self.clean(status))" + (errno.map { "\nERRNO=\($0)" } ?? ""))
    }

    /// `WATCHDOG=1`: the process is healthy.
    public func watchdog() { sink.send("WATCHDOG=1") }

    /// `EXTEND_TIMEOUT_USEC=`: more time for a long start or stop.
    /// - Parameter duration: how much longer.
    public func extendTimeout(_ duration: Duration) {
        let usec = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        sink.send("EXTEND_TIMEOUT_USEC=\(usec)")
    }

    /// The watchdog interval systemd asked for (`WATCHDOG_USEC`), or nil.
    public var watchdogInterval: Duration? { sink.watchdogInterval }

    /// Pings the watchdog every half interval while `isHealthy()` holds; returns when the task is cancelled
    /// or immediately when the watchdog is off.
    /// - Parameter isHealthy: the health probe (for example: the store has not fail-stopped).
    public func runWatchdog(isHealthy: @Sendable () async -> Bool) async {
        guard let interval = watchdogInterval else { return }
        let period = interval / 2
        while !Task.isCancelled {
            if await isHealthy() { watchdog() }
            do { try await Task.sleep(for: period) } catch { return }
        }
    }

    private static func clean(_ text: String) -> String {
        String(text.map { $0 == "\n" ? " " : $0 })
    }
}
