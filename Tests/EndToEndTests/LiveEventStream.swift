#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import TodoTesting

// MARK: - A live `GET /api/events` reader for tests against a real todod

/// Reads an SSE stream from `127.0.0.1:port` on its own thread and records every `data:` frame with the time it
/// arrived. `close()` ends it (shutdown of the socket).
final class LiveEventStream: Sendable {
    /// One frame: its `event:` name, its `data:` JSON and when it was read.
    struct Frame: Sendable {
        var event: String
        var data: String
        var at: ContinuousClock.Instant

        /// The data parsed as a JSON object.
        var json: [String: Any]? { jsonObject(data) }
    }

    private let state = Mutex<(frames: [Frame], connected: Bool, ended: String?)>(([], false, nil))
    private let socketFD = Atomic<Int32>(-1)

    /// Every frame so far.
    var frames: [Frame] { state.withLock { $0.frames } }
    /// Whether the response head and the first bytes arrived.
    var isConnected: Bool { state.withLock { $0.connected } }
    /// Why it ended (nil while open).
    var ended: String? { state.withLock { $0.ended } }

    /// Opens `GET path` with `headers` and starts reading.
    init(port: Int, path: String = "/api/events", headers: [String: String]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestingError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { Glibc.close(fd); throw TestingError("connect 127.0.0.1:\(port) failed") }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { Glibc.close(fd); throw TestingError("send failed") }
        socketFD.store(fd, ordering: .releasing)
        Thread.detachNewThread { [self] in self.readLoop(fd) }
    }

    /// Ends the stream (the reader thread closes the socket).
    func close() {
        let fd = socketFD.load(ordering: .acquiring)
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func readLoop(_ fd: Int32) {
        var head: [UInt8] = []
        var chunked: ChunkedDecoder?
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 16384)
        var reason = "closed by the server"
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { if n < 0 { reason = "recv failed" }; break }
            var payload = Array(buffer[0..<n])
            if chunked == nil {
                head += payload
                guard let end = findHeadEnd(head) else { continue }
                let headText = String(decoding: head[0..<end], as: UTF8.self).lowercased()
                guard headText.hasPrefix("http/1.1 200") else {
                    reason = "status: " + (headText.split(separator: "\r\n").first.map(String.init) ?? "")
                    break
                }
                chunked = ChunkedDecoder()
                payload = Array(head[(end + 4)...])
                if !headText.contains("transfer-encoding: chunked") { reason = "not chunked"; break }
                state.withLock { $0.connected = true }
            }
            text += String(decoding: chunked!.feed(payload), as: UTF8.self)
            while let range = text.range(of: "\n\n") {
                let frame = String(text[..<range.lowerBound])
                text.removeSubrange(..<range.upperBound)
                record(frame)
            }
        }
        Glibc.close(fd)
        state.withLock { $0.ended = reason }
    }

    private func record(_ frame: String) {
        var event = "message"
        var data: [String] = []
        for line in frame.split(separator: "\n") {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        guard !data.isEmpty else { return }
        let now = ContinuousClock.now
        state.withLock { $0.frames.append(Frame(event: event, data: data.joined(separator: "\n"), at: now)) }
    }

    private func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }
}
