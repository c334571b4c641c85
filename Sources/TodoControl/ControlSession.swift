import Foundation
import Logging
import NIOCore
import Synchronization
import TodoCore
internal import ChatKitProtocol

// MARK: - Connection state

/// In-flight / draining bookkeeping for one connection, so shutdown closes idle connections at once and
/// busy ones right after their response.
final class ConnectionState: Sendable {
    static let idleHandlerName = "todo.idle"
    static let idleCloseHandlerName = "todo.idle-close"

    private struct State {
        var inFlight = false
        var draining = false
    }

    let channel: any Channel
    private let state = Mutex(State())

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Marks a request in flight; false when the connection is draining and must not start new work.
    func begin() -> Bool {
        state.withLock { s in
            guard !s.draining else { return false }
            s.inFlight = true
            return true
        }
    }

    /// Marks the request done; true when the connection should now close.
    func end() -> Bool {
        state.withLock { s in
            s.inFlight = false
            return s.draining
        }
    }

    /// Asks the connection to close as soon as it is not busy.
    func drain() {
        let closeNow = state.withLock { s in
            s.draining = true
            return !s.inFlight
        }
        if closeNow { channel.close(promise: nil) }
    }
}

/// Closes a connection when `IdleStateHandler` reports no reads for the idle timeout.
final class IdleCloseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

// MARK: - Session

/// Serves one accepted connection: peer check, then request lines in order, plus an optional subscription.
struct ControlSession {
    let connection: ControlServer.Connection
    let state: ConnectionState
    let handler: any ControlHandler
    let access: ControlAccess
    let decoder: ControlLineDecoder
    let logger: Logger

    func run() async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                // Every path goes through executeThenClose: an NIOAsyncChannel must always be finished.
                guard let peer = try await admit(outbound: outbound) else { return }
                try await serve(peer: peer, inbound: inbound, outbound: outbound)
            }
        } catch {
            logger.debug("control connection ended with error", metadata: ["todo.error": "\(error)"])
        }
    }

    /// Reads the peer's credentials and applies the access policy; refuses (with an error line) when denied.
    private func admit(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> ControlPeer? {
        let credentials: PeerCredentials
        do {
            credentials = try await PeerCredentials.of(connection.channel)
        } catch {
            logger.debug("cannot read peer credentials; closing", metadata: ["todo.error": "\(error)"])
            return nil
        }
        guard let peer = access.admit(credentials) else {
            logger.warning(
                "control connection refused: uid not allowed",
                metadata: ["todo.peer.uid": "\(credentials.uid)", "todo.peer.pid": "\(credentials.pid)"])
            let refusal = RPCError(code: RPCError.forbiddenCode, message: access.refusalMessage(for: credentials))
            try await outbound.write(Self.line(OutgoingResponse(id: nil, result: nil, error: refusal)))
            return nil
        }
        return peer
    }

    private func serve(
        peer: ControlPeer, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws {
        let log = logger.with("todo.user", "\(peer.user)")
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            var subscribed = false
            do {
                for try await line in inbound {
                    guard state.begin() else { break }
                    let decoded = decoder.decode(line.readableBytesView)
                    if case .request(let id, .subscribe) = decoded {
                        if subscribed {
                            try await outbound.write(Self.line(OutgoingResponse(id: id, result: nil, error: RPCError(code: RPCError.conflictCode, message: "already subscribed"))))
                        } else {
                            subscribed = true
                            try await startSubscription(id: id, peer: peer, outbound: outbound, tasks: &tasks)
                        }
                    } else {
                        try await respond(to: decoded, peer: peer, outbound: outbound, log: log)
                    }
                    if state.end() { break }
                }
            } catch let error as ControlError where error.isLineTooLong {
                log.warning("request line too long; closing connection", metadata: ["todo.limit": "\(decoder.maxLineBytes)"])
                let failure = RPCError.invalidRequest("request line exceeds \(decoder.maxLineBytes) bytes; closing connection")
                try await outbound.write(Self.line(OutgoingResponse(id: nil, result: nil, error: failure)))
            }
            tasks.cancelAll()
        }
    }

    private func respond(
        to decoded: DecodedLine, peer: ControlPeer, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, log: Logger
    ) async throws {
        switch decoded {
        case .failure(let id, let error):
            log.debug("bad request", metadata: ["todo.rpc.code": "\(error.code)", "todo.rpc.message": "\(error.message)"])
            try await outbound.write(Self.line(OutgoingResponse(id: id, result: nil, error: error)))
        case .request(let id, let request):
            log.debug("request", metadata: ["todo.rpc.method": "\(request.method)"])
            if let refusal = ControlPermissions.refusal(for: request, peer: peer) {
                log.warning("control request refused", metadata: [
                    "todo.rpc.method": "\(request.method)", "todo.peer.uid": "\(peer.credentials.uid)",
                    "todo.peer.pid": "\(peer.credentials.pid)", "todo.peer.role": "\(peer.role.rawValue)",
                ])
                if let id { try await outbound.write(Self.line(OutgoingResponse(id: id, result: nil, error: refusal))) }
                return
            }
            let reply = await handler.handle(request, from: peer)
            if let id {
                switch reply.outcome {
                case .result(let value): try await outbound.write(Self.line(OutgoingResponse(id: id, result: value, error: nil)))
                case .failure(let error): try await outbound.write(Self.line(OutgoingResponse(id: id, result: nil, error: error)))
                }
            }
            if let after = reply.afterResponse { await after() }
        }
    }

    private func startSubscription(
        id: RequestID?, peer: ControlPeer, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        tasks: inout ThrowingTaskGroup<Void, any Error>
    ) async throws {
        // Subscribers wait for events, so the idle timeout no longer applies.
        let pipeline = connection.channel.pipeline
        try? await pipeline.removeHandler(name: ConnectionState.idleHandlerName).get()
        try? await pipeline.removeHandler(name: ConnectionState.idleCloseHandlerName).get()
        let stream = handler.events(for: peer)
        if let id { try await outbound.write(Self.line(OutgoingResponse(id: id, result: SubscribeResult(), error: nil))) }
        tasks.addTask {
            for await change in stream {
                try await outbound.write(Self.line(RPCNotification(method: ControlMethods.taskEventNotification, params: change)))
            }
            try await outbound.write(Self.line(RPCNotification(method: ControlMethods.resyncNotification, params: JSONValue.object([
                "reason": .string("the change stream ended; changes may have been missed: re-read the list and subscribe again"),
            ]))))
        }
    }

    // MARK: Encoding

    struct OutgoingResponse: Encodable {
        var id: RequestID?
        var result: (any Encodable & Sendable)?
        var error: RPCError?

        enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("2.0", forKey: .jsonrpc)
            try container.encode(id, forKey: .id)
            if let error {
                try container.encode(error, forKey: .error)
            } else if let result {
                try container.encode(result, forKey: .result)
            } else {
                try container.encodeNil(forKey: .result)
            }
        }
    }

    /// One encoded line (compact JSON + `\n`), written by `JSONValueEncoder` (not Foundation's `JSONEncoder`).
    static func line(_ value: some Encodable) -> ByteBuffer {
        var bytes = (try? JSONValueEncoder.encode(value))
            ?? Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"could not encode the response"}}"#.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: bytes)
    }
}

extension Logger {
    /// A copy with one more metadata entry.
    func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy[metadataKey: key] = .string(value)
        return copy
    }
}
