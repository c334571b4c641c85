import Synchronization

// MARK: - SSEFrameQueue

/// The frames of one SSE response, from the turn that produces them to the one task that writes them.
///
/// `append` never blocks. `next()` hands the writer everything appended since its last call as one buffer,
/// so a burst of events (the writer was still busy with the previous write) goes out in one write instead of
/// one write, one event-loop hop and one syscall per event; a lone event goes out at once, as before.
final class SSEFrameQueue: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var finished = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Queues one encoded frame (ignored after `finish()`).
    /// - Parameter frame: the frame's bytes.
    func append(_ frame: [UInt8]) {
        let waiter: CheckedContinuation<[UInt8]?, Never>? = state.withLock { s in
            guard !s.finished else { return nil }
            if let waiter = s.waiter {
                s.waiter = nil
                return waiter
            }
            if s.pending.isEmpty { s.pending = frame } else { s.pending.append(contentsOf: frame) }
            return nil
        }
        waiter?.resume(returning: frame)
    }

    /// No more frames: `next()` returns what is still queued, then nil.
    func finish() {
        let waiter = state.withLock { s in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything queued since the last call (waiting for the next frame when nothing is), or nil once the
    /// queue is finished and drained. Cancelling the waiting task finishes the queue.
    func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                let ready: [UInt8]?? = state.withLock { s in
                    if !s.pending.isEmpty {
                        defer { s.pending = [] }
                        return .some(s.pending)
                    }
                    if s.finished || Task.isCancelled { return .some(nil) }
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }
}
