#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TodoControl

// MARK: - Raw socket client

/// A byte-level Unix-socket client for protocol tests: send arbitrary bytes, read raw lines. Blocking I/O
/// runs on its own threads so it never stalls Swift's cooperative pool.
public final class RawLineClient: @unchecked Sendable {
    // @unchecked: the descriptor and read buffer are only used by one test task at a time.
    private let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to `path`.
    /// - Parameters:
    ///   - path: the socket path.
    ///   - timeout: the receive timeout for each read.
    public init(path: String, timeout: Double = 5) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestingError("socket failed") }
        let rc = withUnixSocketAddress(path) { connect(fd, $0, $1) }
        guard rc == 0 else { Glibc.close(fd); throw TestingError("connect \(path): \(String(cString: strerror(errno)))") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    /// Sends `bytes` (all of them, unless the peer closed).
    /// - Parameter bytes: what to send.
    /// - Returns: false when the peer closed the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) async -> Bool {
        await offThread { [fd] in
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Sends `text` plus a newline.
    @discardableResult
    public func sendLine(_ text: String) async -> Bool { await send(Array((text + "\n").utf8)) }

    /// Reads one line (without the newline); nil on EOF, error or timeout.
    public func readLine() async -> String? {
        await offThread { [self] in
            while true {
                if let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<nl], as: UTF8.self)
                    pending.removeFirst(nl + 1)
                    return line
                }
                var buffer = [UInt8](repeating: 0, count: 65536)
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return nil }
                pending += buffer[0..<n]
            }
        }
    }

    /// Whether the peer closes the connection: reads (discarding data) until EOF or a reset (true) or
    /// until a read times out (false).
    public func readsEOF() async -> Bool {
        await offThread { [fd] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n == 0 { return true }
                if n < 0 { return errno == ECONNRESET || errno == EPIPE }
            }
        }
    }

    /// Closes the socket.
    public func close() { Glibc.close(fd) }

    private func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
