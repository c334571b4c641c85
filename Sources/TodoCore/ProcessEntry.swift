import Dispatch
import Synchronization

/// How `todod` and `todoctl` run their async work from a synchronous `main`.
///
/// An `async` main ends the main thread in `dispatch_main()`, whose `pthread_exit` unwinds it: that one
/// forced unwind loads libgcc_s and binary-searches the unwind tables (`.eh_frame_hdr`, `.eh_frame`) of the
/// whole binary, which left 2.4 MB of them in the idle daemon's RSS (static todod: 30.6 -> 28.4 MB) and
/// costs every `todoctl` call the same work. Here the work runs in a task and the main thread only waits.
/// Nothing in either executable runs on the main actor or the main dispatch queue, which nobody drains
/// while the main thread waits.
public enum ProcessEntry {
    /// Runs `body` in a task and blocks the calling (main) thread until it returns.
    /// - Parameter body: the program; its result is the process's exit status.
    /// - Returns: what `body` returned.
    public static func runParked(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
        let finished = DispatchSemaphore(value: 0)
        let status = Mutex<Int32>(0)
        Task.detached {
            let result = await body()
            status.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        return status.withLock { $0 }
    }
}
