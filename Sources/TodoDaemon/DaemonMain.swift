import Logging
import SystemdSupport

// MARK: - Process entry

/// What `todod`'s `main` calls: start, serve, and map the outcome to an exit status.
public enum DaemonMain {
    /// Exit status when the store fail-stopped (EX_SOFTWARE): the supervisor restarts into recovery.
    public static let storeFailureStatus: Int32 = 70

    /// Runs the daemon for this process.
    /// - Parameters:
    ///   - overrides: the command-line flags.
    ///   - environment: the process environment.
    /// - Returns: 0 after a clean shutdown, 1 when start-up failed, 70 after a store failure.
    public static func run(overrides: DaemonOverrides, environment: [String: String]) async -> Int32 {
        let context = DaemonContext.system(environment: environment)
        LoggingSystem.bootstrap { label in context.makeLogger(label).handler }
        let logger = context.makeLogger("todo.daemon")
        let daemon: Daemon
        do {
            daemon = try await Daemon.start(overrides: overrides, context: context)
        } catch {
            logger.critical("todod cannot start: \(error)")
            context.notifier.status("failed to start: \(error)")
            return 1
        }
        do {
            try await daemon.run()
            return 0
        } catch let error as DaemonError where error.isStoreFailure {
            logger.critical("todod stopped after a store failure: \(error)")
            return storeFailureStatus
        } catch {
            logger.critical("\(error)")
            return 1
        }
    }
}
