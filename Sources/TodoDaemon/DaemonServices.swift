import Logging
import ServiceLifecycle
import Synchronization
import SystemdSupport
import TodoControl
import TodoStore
import UnixSignals

// MARK: - Readiness

/// Counts listeners that still have to report "accepting"; `wait()` returns once all have, or when the
/// waiting task is cancelled (a listener that failed never reports, and shutdown must not wait for it).
actor ReadinessLatch {
    private var pending: Set<String>
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    init(pending: Set<String>) { self.pending = pending }

    func markReady(_ name: String) {
        pending.remove(name)
        guard pending.isEmpty else { return }
        for waiter in waiters.values { waiter.resume() }
        waiters = [:]
    }

    /// - Returns: true once every listener is ready, false when cancelled first.
    func wait() async -> Bool {
        if pending.isEmpty { return true }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiters[id] = continuation }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        return pending.isEmpty
    }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
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
        // A listener that failed never becomes ready: graceful shutdown (or cancellation) ends the wait.
        let readiness = self.readiness
        let ready = await cancelWhenGracefulShutdown { await readiness.wait() }
        guard ready else { return }
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
