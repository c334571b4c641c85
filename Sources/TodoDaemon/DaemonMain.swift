#if canImport(Glibc)
import Glibc
#endif
import Logging
public import TodoControl
import SystemdSupport
import UnixSignals

// MARK: - Process entry

/// What `todod`'s `main` calls: start, serve, and map the outcome to an exit status.
///
/// Exit statuses: 0 after a clean stop (SIGTERM/SIGINT in any phase, or `todoctl stop`); 1 when start-up
/// failed (one log line naming the cause and the address or path, and `STATUS=`/`ERRNO=` to systemd); 70
/// (EX_SOFTWARE) after a store failure while running. A command line that does not parse exits 64 (EX_USAGE).
public enum DaemonMain {
    /// Exit status when start-up failed (address in use, bad configuration, data directory locked, ...).
    public static let startupFailureStatus: Int32 = 1
    /// Exit status when the store fail-stopped (EX_SOFTWARE): the supervisor restarts into recovery.
    public static let storeFailureStatus: Int32 = 70
    /// How long a stop requested during start-up waits for the interrupted step before exiting anyway.
    static let startupStopGrace: Duration = .seconds(2)
    /// How long a stop requested while running may take in all before the process exits anyway.
    static let shutdownBackstop: Duration = Daemon.gracefulShutdownLimit + .seconds(4)

    /// Blocks SIGTERM and SIGINT in the calling thread; threads started later inherit the mask. Call it first
    /// thing in `main`: a stop signal then stays pending until `run` reads it through its signal source
    /// (Dispatch's signalfd), so even one sent in the first milliseconds is answered by todod (exit 0) instead
    /// of killing it. `run` reads them; `--help` and `--check-config` end quickly without reading them.
    public static func holdStopSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    private enum StartOutcome: Sendable {
        case started(Result<Daemon, any Error>)
        case stopRequested(UnixSignal)
    }

    /// Runs the daemon for this process.
    /// - Parameters:
    ///   - overrides: the command-line flags.
    ///   - environment: the process environment.
    /// - Returns: 0 after a clean shutdown, 1 when start-up failed, 70 after a store failure.
    public static func run(overrides: DaemonOverrides, environment: [String: String]) async -> Int32 {
        // Trap SIGTERM/SIGINT before anything else, so they end todod promptly in every phase.
        let stops = StopRequests()
        let signalReader = await stops.trapSignals()
        defer { signalReader.cancel() }
        let context = DaemonContext.system(environment: environment)
        LoggingSystem.bootstrap { label in context.makeLogger(label).handler }
        let logger = context.makeLogger("todo.daemon")
        let starting = Task { try await Daemon.start(overrides: overrides, context: context) }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<StartOutcome, Never>) in
            let once = ResumeOnce(continuation)
            stops.whenRequested { once.resume(.stopRequested($0)) }
            Task { once.resume(.started(await starting.result)) }
        }
        let daemon: Daemon
        switch outcome {
        case .stopRequested(let signal):
            return await stopDuringStartup(signal, starting: starting, context: context, logger: logger)
        case .started(.failure(let error)):
            if let signal = stops.requested {
                return await stopDuringStartup(signal, starting: starting, context: context, logger: logger)
            }
            reportStartupFailure(error, context: context, logger: logger)
            return startupFailureStatus
        case .started(.success(let started)):
            daemon = started
        }
        stops.whenRequested { signal in
            logger.info("\(signal): stopping")
            Task { await daemon.triggerShutdown() }
            Task.detached {
                // Graceful shutdown is bounded and then cancels; this is the last resort if something ignores both.
                try? await Task.sleep(for: shutdownBackstop)
                logger.critical("shutdown did not finish within \(shutdownBackstop); exiting")
                exit(startupFailureStatus)
            }
        }
        do {
            try await daemon.run()
            return 0
        } catch let error as DaemonError where error.isStoreFailure {
            logger.critical("todod stopped after a store failure: \(error)")
            return storeFailureStatus
        } catch {
            logger.critical("\(error)")
            context.notifier.failed(status: "failed: \(error)", errno: (error as? DaemonError)?.errno)
            return startupFailureStatus
        }
    }

    /// A stop requested before the daemon runs: nothing is served yet, so cancel start-up, give the step in
    /// progress a moment to release what it holds, and exit 0 either way (the kernel releases the lock).
    private static func stopDuringStartup(
        _ signal: UnixSignal, starting: Task<Daemon, any Error>, context: DaemonContext, logger: Logger
    ) async -> Int32 {
        logger.notice("\(signal) during start-up: stopping")
        context.notifier.stopping(status: "stopping: \(signal) during start-up")
        starting.cancel()
        let finished = await withCheckedContinuation { (continuation: CheckedContinuation<Daemon?, Never>) in
            let once = ResumeOnce(continuation)
            Task { once.resume(try? await starting.value) }
            Task {
                try? await Task.sleep(for: startupStopGrace)
                once.resume(nil)
            }
        }
        if let finished { await finished.discard() }
        return 0
    }

    /// One log line and one `STATUS=` (with `ERRNO=` when known) naming why start-up failed.
    private static func reportStartupFailure(_ error: any Error, context: DaemonContext, logger: Logger) {
        logger.critical("todod cannot start: \(error)")
        context.notifier.failed(status: "failed to start: \(error)", errno: (error as? DaemonError)?.errno)
    }
}

// MARK: - --check-config

extension DaemonMain {
    /// `todod --check-config`: resolves the configuration as start-up would (flags > environment > file >
    /// defaults), checks what can be checked without taking the data directory (values, the allowed group,
    /// the secret file), and describes it with secrets redacted.
    /// - Parameters:
    ///   - overrides: the command-line flags.
    ///   - environment: the process environment.
    ///   - accounts: group lookups.
    /// - Returns: the effective configuration as text, or the error naming the bad setting.
    public static func checkConfiguration(
        overrides: DaemonOverrides, environment: [String: String], accounts: any AccountDirectory = SystemAccountDirectory()
    ) -> Result<String, DaemonError> {
        do {
            let configuration = try DaemonConfiguration.load(overrides: overrides, environment: environment)
            _ = try configuration.readAuthSecret()
            _ = try Daemon.policy(for: configuration, accounts: accounts)
            return .success(configuration.redactedDescription)
        } catch let error as DaemonError {
            return .failure(error)
        } catch {
            return .failure(.configuration("\(error)"))
        }
    }
}
