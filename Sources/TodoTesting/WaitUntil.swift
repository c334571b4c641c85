import Synchronization

// MARK: - Bounded waits for conditions

/// Polls `condition` until it holds or `timeout` passes (tests wait for conditions, never for fixed times).
/// - Parameters:
///   - timeout: the bound.
///   - interval: the pause between polls.
///   - condition: what to wait for.
/// - Returns: whether the condition held before the bound.
@discardableResult
public func waitUntil(
    timeout: Duration = .seconds(10), interval: Duration = .milliseconds(5), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

/// A thread-safe one-way flag: one side sets it when something happened, the other waits for it.
public final class SignalFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// An unset flag.
    public init() {}

    /// Sets the flag.
    public func set() { value.store(true, ordering: .releasing) }

    /// Whether the flag was set.
    public var isSet: Bool { value.load(ordering: .acquiring) }
}

/// A thread-safe counter: one side counts what it saw, the other waits for a number.
public final class SignalCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// A counter at zero.
    public init() {}

    /// Adds one.
    public func increment() { count.add(1, ordering: .releasing) }

    /// The current value.
    public var value: Int { count.load(ordering: .acquiring) }
}
