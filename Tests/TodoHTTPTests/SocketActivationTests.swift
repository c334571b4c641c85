import Testing
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import ChatKitProtocol
import TodoCore
import TodoHTTP
import TodoStore
import TodoTesting

// MARK: - Inherited listening socket, /api/events and graceful shutdown

/// A listening TCP socket on 127.0.0.1 with a free port, as systemd would pass it.
func makeListeningSocket() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard rc == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    rc = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}

@Suite("Socket activation and graceful shutdown")
struct SocketActivationTests {
    @Test("An inherited listening fd is served (Host check uses its port); /api/events streams changes and ends cleanly on graceful shutdown")
    func inheritedDescriptorAndShutdown() async throws {
        let (fd, port) = try makeListeningSocket()
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        var configuration = h.configuration
        configuration.bind = .inheritedDescriptor(fd)
        let (listening, continuation) = AsyncStream<String>.makeStream()
        let server = HTTPServer(configuration: configuration, dependencies: h.dependencies, onListening: { continuation.yield($0) })
        var logger = Logger(label: "test.group")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = listening.makeAsyncIterator()
            #expect(await iterator.next() == "fd:\(fd)")

            let health = try await offPool {
                let c = try RawHTTPConnection(port: port)
                defer { c.close() }
                c.send(RawHTTPConnection.request("GET", "/healthz", host: "127.0.0.1:\(port)"))
                return c.read(until: "}")
            }
            #expect(health.hasPrefix("HTTP/1.1 200"))

            // Open the event stream, make a change, then shut down while it is open.
            let subscribersBefore = h.store.subscriberCount
            let delivered = SignalFlag()
            async let events: String = offPool {
                let c = try RawHTTPConnection(port: port)
                defer { c.close() }
                c.send(RawHTTPConnection.request("GET", "/api/events", host: "127.0.0.1:\(port)", token: token))
                let head = c.read(until: "watch me")
                delivered.set()
                return head + c.read(until: "\r\n0\r\n\r\n")
            }
            // Change the store once the stream has subscribed; shut down once the change reached the client.
            #expect(await waitUntil { h.store.subscriberCount > subscribersBefore }, "the event stream subscribed")
            _ = try await h.store.addTask(TaskDraft(title: "watch me"), for: try UserID("alice"), requestID: nil)
            #expect(await waitUntil { delivered.isSet }, "the change reached the client")
            await group.triggerGracefulShutdown()
            let stream = try await events
            #expect(stream.contains("text/event-stream"))
            #expect(stream.contains("event: task\ndata: {\"kind\":\"created\",\"task\":{"))
            #expect(stream.contains("\"title\":\"watch me\""))
            #expect(stream.hasSuffix("\r\n0\r\n\r\n"), "the stream ended with the terminating chunk, not a reset")
            try await tasks.waitForAll()
        }
    }
}
