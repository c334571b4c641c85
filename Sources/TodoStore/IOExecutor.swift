import Dispatch

// MARK: - IOExecutor

/// Runs blocking disk calls on Dispatch worker threads, never on Swift's cooperative pool (which has only
/// as many threads as cores), and resumes the awaiting task when the call returns.
struct IOExecutor: Sendable {
    let queue = DispatchQueue(label: "todo.store.io", qos: .userInitiated, attributes: .concurrent)

    /// Runs `work` on an I/O thread.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}

// MARK: - IDGenerator

/// xoshiro256** seeded from `SystemRandomNumberGenerator`: one getrandom(2) per store instead of several
/// per task id.
struct IDGenerator: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        s = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
