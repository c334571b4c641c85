#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization
import TodoControl

// MARK: - NOTIFY_SOCKET receiver

/// A Unix datagram socket standing in for systemd's notification socket: set `NOTIFY_SOCKET` to `path`
/// and read what the daemon sent, with arrival times.
public final class NotifyReceiver: Sendable {
    /// One received datagram.
    public struct Message: Sendable {
        /// The text (`READY=1\nSTATUS=...`).
        public var text: String
        /// Monotonic arrival time in seconds.
        public var receivedAt: Double
    }

    /// The socket path.
    public let path: String
    private let fd: Int32
    private let received = Mutex<[Message]>([])
    private let closed = Atomic<Bool>(false)

    /// Binds a datagram socket at `path`.
    /// - Parameter path: a fresh path (under 108 bytes).
    public init(path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestingError("socket: \(String(cString: strerror(errno)))") }
        let rc = withUnixSocketAddress(path) { bind(fd, $0, $1) }
        guard rc == 0 else { Glibc.close(fd); throw TestingError("bind \(path): \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
        self.path = path
        Thread.detachNewThread { [self] in receiveLoop() }
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !closed.load(ordering: .relaxed) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let message = Message(text: String(decoding: buffer[0..<n], as: UTF8.self), receivedAt: Self.now())
            received.withLock { $0.append(message) }
        }
        Glibc.close(fd)
    }

    /// Everything received so far.
    public var messages: [Message] { received.withLock { $0 } }

    /// Waits until some message satisfies `predicate`, or the timeout passes.
    /// - Parameters:
    ///   - timeout: how long to wait.
    ///   - predicate: the condition.
    /// - Returns: the first matching message, or nil on timeout.
    public func waitFor(timeout: Duration = .seconds(10), _ predicate: (String) -> Bool) async -> Message? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let hit = messages.first(where: { predicate($0.text) }) { return hit }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    /// Stops receiving and removes the socket file.
    public func close() {
        closed.store(true, ordering: .relaxed)
        unlink(path)
    }

    /// Monotonic seconds.
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
