import NIOCore

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
