import Logging
import ServiceLifecycle
import Synchronization
import SystemdSupport
import TodoControl
import TodoStore
import UnixSignals

// MARK: - Readiness

/// Counts listeners that still have to report "accepting"; `wait()` returns once all have.
actor ReadinessLatch {
    private var pending: Set<String>
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(pending: Set<String>) { self.pending = pending }

    func markReady(_ name: String) {
        pending.remove(name)
        guard pending.isEmpty else { return }
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        if pending.isEmpty { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}

/// Holds the service group once it exists, so `shutdown` requests can trigger it.
final class ShutdownTrigger: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)

    func attach(_ serviceGroup: ServiceGroup) { group.withLock { $0 = serviceGroup } }

    func trigger() async {
        guard let serviceGroup = group.withLock({ $0 }) else { return }
        await serviceGroup.triggerGracefulShutdown()
    }
}

// MARK: - Services

/// The control server as a service: drains on graceful shutdown.
struct ControlService: Service {
    let server: ControlServer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            server.initiateShutdown()
        }
    }
}

/// `READY=1` once every listener accepts, `WATCHDOG=1` while healthy, `STOPPING=1` when shutdown begins.
/// Listed last in the group so graceful shutdown reaches it first.
struct NotifierService: Service {
    let notifier: SystemdNotifier
    let readiness: ReadinessLatch
    let readyStatus: @Sendable () async -> String
    let isHealthy: @Sendable () async -> Bool
    let logger: Logger

    func run() async throws {
        await readiness.wait()
        let status = await readyStatus()
        notifier.ready(status: status)
        logger.info("ready", metadata: ["todo.status": "\(status)"])
        let notifier = self.notifier
        let isHealthy = self.isHealthy
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await notifier.runWatchdog(isHealthy: isHealthy) }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        notifier.stopping(status: "stopping: draining connections")
        logger.info("stopping: draining connections")
    }
}

/// Reloads the configuration on every SIGHUP.
struct ReloadService: Service {
    let reload: @Sendable () async -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        let reload = self.reload
        try await cancelWhenGracefulShutdown {
            for await _ in signals { await reload() }
        }
    }
}

/// Ends the daemon with `DaemonError.storeFailed` when the store fail-stops (the group is cancelled and
/// `todod` exits non-zero so the supervisor restarts it into recovery).
struct FatalFailureService: Service {
    let failures: AsyncStream<StoreError>
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let failures = self.failures
        let notifier = self.notifier
        let logger = self.logger
        try await cancelWhenGracefulShutdown {
            for await failure in failures {
                logger.critical("store failed; exiting for restart into recovery", metadata: ["todo.error": "\(failure)"])
                notifier.status("store failed: \(failure)")
                throw DaemonError.storeFailed("\(failure)")
            }
        }
    }
}
