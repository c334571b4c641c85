import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import NIOExtras
import ServiceLifecycle

// MARK: - InheritedSocketServer

/// Serves HTTP/1.1 on an already listening socket inherited from systemd (socket activation).
///
/// Hummingbird's `Application` can only bind addresses itself, so this adopts the descriptor with NIO's
/// `ServerBootstrap.bind(_:)` and runs Hummingbird's public `HTTP1Channel` per connection, with the same
/// router responder. Graceful shutdown stops accepting (NIOExtras quiescing) and lets in-flight responses
/// finish; SSE routes end themselves on graceful shutdown.
struct InheritedSocketServer<Responder: HTTPResponder>: Sendable where Responder.Context == TodoRequestContext {
    let descriptor: Int32
    let responder: Responder
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    init(descriptor: Int32, responder: Responder, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void) {
        self.descriptor = descriptor
        self.responder = responder
        self.logger = logger
        self.onListening = onListening
    }

    func run() async throws {
        let responder = self.responder
        let logger = self.logger
        let http1 = HTTP1Channel(responder: { request, writer, channel in
            let context = TodoRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            let response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                logger.debug("unhandled error", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError)
            }
            try await writer.write(response: response.head, body: response.body)
        })
        let quiesce = QuiesceBox(helper: ServerQuiescingHelper(group: MultiThreadedEventLoopGroup.singleton))
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.helper.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(NIOBSDSocket.Handle(descriptor), cleanupExistingSocketFile: false) { channel in
                http1.setup(channel: channel, logger: logger)
            }
        let port = server.channel.localAddress?.port ?? -1
        await onListening(port)
        logger.info("HTTP listening", metadata: ["fd": "\(descriptor)", "port": "\(port)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await http1.handle(value: connection, logger: logger) }
                    }
                }
            }
        } onGracefulShutdown: {
            quiesce.helper.initiateShutdown(promise: nil)
        }
    }
}

/// `ServerQuiescingHelper` is thread-safe (it hops to its event loop internally) but not marked Sendable.
private final class QuiesceBox: @unchecked Sendable {
    let helper: ServerQuiescingHelper
    init(helper: ServerQuiescingHelper) { self.helper = helper }
}
