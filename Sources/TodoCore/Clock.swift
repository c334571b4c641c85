#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// MARK: - WallClock

/// The source of "now" for timestamps. Real code uses `SystemWallClock`; tests use `ManualWallClock`.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(millisecondsSinceEpoch: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}

/// A clock that only moves when told to: deterministic timestamps for tests.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Timestamp>

    /// - Parameter start: the first time `now()` returns.
    public init(start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)) {
        self.current = Mutex(start)
    }

    public func now() -> Timestamp {
        current.withLock { $0 }
    }

    /// Moves the clock forward.
    /// - Parameter milliseconds: how far.
    public func advance(milliseconds: Int64) {
        current.withLock { $0.millisecondsSinceEpoch += milliseconds }
    }
}
