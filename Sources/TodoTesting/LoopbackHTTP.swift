#if canImport(Glibc)
import Glibc
#endif
import Foundation

// MARK: - A minimal HTTP/1.1 client for tests against a real todod

/// One HTTP response as a test sees it.
public struct LoopbackHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header lines as (lowercased name, value), in order.
    public var headers: [(name: String, value: String)]
    /// The body bytes (as sent; the daemon's JSON answers are not chunked).
    public var body: String

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }
}

/// Sends one request to `127.0.0.1:port` with `Connection: close` and reads the whole answer. Blocking I/O runs
/// on its own thread, never on Swift's cooperative pool; every read is bounded by `timeout`.
/// - Parameters:
///   - method: `GET`, `POST`, …
///   - port: the daemon's HTTP port.
///   - path: the request target.
///   - headers: extra headers (`Connection` is added, and `Host` unless given here).
///   - body: an optional body (sent with `Content-Length`).
///   - timeout: seconds per read.
public func loopbackHTTP(
    _ method: String, port: Int, path: String, headers: [String: String] = [:], body: String? = nil, timeout: Int = 10
) async throws -> LoopbackHTTPResponse {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<LoopbackHTTPResponse, any Error>) in
        Thread.detachNewThread {
            continuation.resume(with: Result { try blockingHTTP(method, port: port, path: path, headers: headers, body: body, timeout: timeout) })
        }
    }
}

private func blockingHTTP(_ method: String, port: Int, path: String, headers: [String: String], body: String?, timeout: Int) throws -> LoopbackHTTPResponse {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestingError("socket failed") }
    defer { close(fd) }
    var tv = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { throw TestingError("connect 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }
    // A `Host` in `headers` replaces ours (for the Host allow-list tests).
    var request = "\(method) \(path) HTTP/1.1\r\nHost: \(headers["Host"] ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
    for (name, value) in headers.sorted(by: { $0.key < $1.key }) where name != "Host" { request += "\(name): \(value)\r\n" }
    if let body { request += "Content-Length: \(body.utf8.count)\r\n" }
    request += "\r\n" + (body ?? "")
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { throw TestingError("send failed: \(String(cString: strerror(errno)))") }
        sent += n
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16384)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { break }
        guard n > 0 else { throw TestingError("no complete answer from 127.0.0.1:\(port) within \(timeout) s") }
        received += buffer[0..<n]
    }
    let text = String(decoding: received, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw TestingError("malformed HTTP answer: \(text.prefix(200))") }
    let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let statusParts = lines.first?.split(separator: " ") ?? []
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestingError("bad status line: \(lines.first ?? "")") }
    let parsed = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    return LoopbackHTTPResponse(status: status, headers: parsed, body: String(text[split.upperBound...]))
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestingError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1 }
    }
    guard rc == 0 else { throw TestingError("cannot find a free port: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Waits until `GET /healthz` on `port` answers 200, for at most `timeout`.
public func waitForLoopbackHTTP(port: Int, timeout: Duration = .seconds(20)) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let r = try? await loopbackHTTP("GET", port: port, path: "/healthz", timeout: 2), r.status == 200 { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestingError("no HTTP answer on 127.0.0.1:\(port) within \(timeout)")
}
