import NIOCore
import Synchronization

// MARK: - SSEFrameQueue

/// The frames of one SSE response, from the turn that produces them to the one task that writes them.
///
/// `append` never blocks. `next()` hands the writer everything appended since its last call as one buffer,
/// so a burst of events (the writer was still busy with the previous write, or had not yet woken up for the
/// first of them) goes out in one write instead of one write, one event-loop hop and one syscall per event; a
/// lone event goes out at once, as before. A woken writer takes what is queued when it runs, not the frame
/// that woke it: a turn emits several events back to back (`thread.created`, the user message, the stream
/// options), and they go out together.
final class SSEFrameQueue: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Queues one encoded frame (ignored after `finish()`).
    /// - Parameter frame: the frame's bytes.
    func append(_ frame: [UInt8]) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            guard !s.finished else { return nil }
            if s.pending.isEmpty { s.pending = frame } else { s.pending.append(contentsOf: frame) }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// No more frames: `next()` returns what is still queued, then nil.
    func finish() {
        let waiter = state.withLock { s in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Everything queued since the last call (waiting for the next frame when nothing is), or nil once the
    /// queue is finished and drained. Cancelling the waiting task finishes the queue.
    func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            while true {
                if let ready = take() { return ready }
                // Nothing queued: park until an append or `finish()`, then take what is queued by then.
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let parked = state.withLock { s -> Bool in
                        guard s.pending.isEmpty, !s.finished, !Task.isCancelled else { return false }
                        s.waiter = continuation
                        return true
                    }
                    if !parked { continuation.resume() }
                }
            }
        } onCancel: {
            finish()
        }
    }

    /// What `next()` returns now, if anything: the queued bytes, or nil (in an optional) once finished.
    private func take() -> [UInt8]?? {
        state.withLock { s in
            if !s.pending.isEmpty {
                defer { s.pending = [] }
                return .some(s.pending)
            }
            return s.finished || Task.isCancelled ? .some(nil) : nil
        }
    }
}

// MARK: - EventLoopTaskExecutor

/// A task executor that runs its jobs on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) is resumed on the loop and calls into the loop's
/// channels from the loop itself, where NIO writes at once instead of scheduling the write onto the loop from
/// another thread. The SSE writer of a streamed response uses it: each batch of frames then costs one wake-up
/// of the event loop, not one of a cooperative-pool thread followed by one of the loop. Only short,
/// non-blocking work belongs on it (the loop serves every channel it owns).
final class EventLoopTaskExecutor: TaskExecutor {
    private let loop: any EventLoop

    /// - Parameter loop: where the jobs run.
    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
