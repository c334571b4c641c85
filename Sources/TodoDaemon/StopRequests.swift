import Synchronization
import UnixSignals

// MARK: - Stop requests (SIGTERM / SIGINT in every phase)

/// The first SIGTERM or SIGINT, trapped from the moment `todod` starts (before the configuration is read
/// and before recovery), and whoever waits for it. Start-up races against it; the running daemon turns it
/// into a graceful shutdown.
final class StopRequests: Sendable {
    private struct State {
        var signal: UnixSignal?
        var handlers: [@Sendable (UnixSignal) -> Void] = []
    }

    private let state = Mutex(State())

    init() {}

    /// Records a stop request and runs the handlers (each once, for the first request only).
    /// - Parameter signal: the signal that asked for it.
    func request(_ signal: UnixSignal) {
        let handlers = state.withLock { state -> [@Sendable (UnixSignal) -> Void] in
            guard state.signal == nil else { return [] }
            state.signal = signal
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler(signal) }
    }

    /// The signal that asked for a stop, if one did.
    var requested: UnixSignal? { state.withLock { $0.signal } }

    /// Runs `handler` on the first stop request (at once when there already was one).
    /// - Parameter handler: what to do; it must not block.
    func whenRequested(_ handler: @escaping @Sendable (UnixSignal) -> Void) {
        let already = state.withLock { state -> UnixSignal? in
            if state.signal == nil { state.handlers.append(handler) }
            return state.signal
        }
        if let already { handler(already) }
    }

    /// Traps SIGTERM and SIGINT for the life of the process and feeds them to `self`. Trapping replaces the
    /// default action (terminate), so from here on a signal is always answered by todod itself.
    /// - Returns: the task that reads the signals (cancel it to stop reading).
    func trapSignals() async -> Task<Void, Never> {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        return Task { [self] in
            for await signal in signals { request(signal) }
        }
    }
}

/// Resumes a continuation once, whichever of several racers gets there first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }

    func resume(_ value: T) {
        let taken = continuation.withLock { stored -> CheckedContinuation<T, Never>? in
            defer { stored = nil }
            return stored
        }
        taken?.resume(returning: value)
    }
}
