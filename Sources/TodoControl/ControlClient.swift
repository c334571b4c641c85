#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix
public import TodoCore

// MARK: - Client

/// A typed client for the control socket. Every call goes through a `ControlMethod` spec, so callers
/// never build JSON by hand.
///
/// ```swift
/// let task = try await ControlClient(socketPath: path).call(ControlMethods.AddTask.self, AddTaskParams(title: "Buy milk"))
/// ```
public struct ControlClient: Sendable {
    /// The socket path.
    public let socketPath: String
    /// The longest response line accepted (exports and long lists can be large).
    public var maxResponseBytes: Int

    /// - Parameters:
    ///   - socketPath: the daemon's control socket.
    ///   - maxResponseBytes: the longest response line accepted.
    public init(socketPath: String, maxResponseBytes: Int = 512 << 20) {
        self.socketPath = socketPath
        self.maxResponseBytes = maxResponseBytes
    }

    /// Connects, runs `body` with the connection, and closes it.
    /// - Parameter body: uses the connection (calls run one after another).
    /// - Throws: `ControlError.daemonNotRunning` when nothing answers on the socket.
    public func withConnection<R: Sendable>(_ body: (ControlConnection) async throws -> R) async throws -> R {
        let maxLine = maxResponseBytes
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            // The async wrapper is made only after the connect succeeded: a wrapper dropped by a failed connect
            // would trap (NIOAsyncWriter must be finished).
            let raw = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ControlLineFramer(maxLineBytes: maxLine)))
                        return channel
                    }
                }
            channel = try await raw.eventLoop.submit {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: raw)
            }.get()
        } catch {
            throw Self.connectError(for: socketPath, error)
        }
        return try await channel.executeThenClose { inbound, outbound in
            let connection = ControlConnection(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(connection)
        }
    }

    /// One call on a fresh connection.
    /// - Parameters:
    ///   - method: the method spec, for example `ControlMethods.AddTask.self`.
    ///   - params: its parameters.
    /// - Returns: the typed result.
    /// - Throws: `ControlError` (`remote` carries the daemon's JSON-RPC error).
    public func call<M: ControlMethod>(_ method: M.Type, _ params: M.Params) async throws -> M.Result {
        try await withConnection { try await $0.call(method, params) }
    }

    /// Tells "no daemon here" apart from "permission denied" (the socket's group named when it can be read).
    static func connectError(for path: String, _ error: any Error) -> ControlError {
        var st = stat()
        if stat(path, &st) != 0 {
            let code = errno
            if code == EACCES { return .permissionDenied(path: path, group: nil) }
            return .daemonNotRunning(path: path, reason: code == ENOENT ? "no socket at that path" : String(cString: strerror(code)))
        }
        guard let io = error as? IOError else { return .daemonNotRunning(path: path, reason: "\(error)") }
        if io.errnoCode == EACCES || io.errnoCode == EPERM {
            return .permissionDenied(path: path, group: st.st_gid == 0 ? nil : SystemAccountDirectory().groupName(gid: st.st_gid))
        }
        return .daemonNotRunning(path: path, reason: String(cString: strerror(io.errnoCode)))
    }
}

// MARK: - Connection

/// One open connection. Not `Sendable`: use it from the task that opened it.
public final class ControlConnection {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var nextID: Int64 = 1

    init(iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.iterator = iterator
        self.outbound = outbound
    }

    /// Sends one request and waits for its response (notifications that arrive meanwhile are dropped).
    /// - Parameters:
    ///   - method: the method spec.
    ///   - params: its parameters.
    /// - Returns: the typed result.
    public func call<M: ControlMethod>(_ method: M.Type, _ params: M.Params) async throws -> M.Result {
        let id = RequestID.number(nextID)
        nextID += 1
        try await send(RPCRequest(id: id, method: M.name, params: params))
        while true {
            let line = try await readLine()
            let probe = try decode(Probe.self, line)
            if probe.method != nil { continue }  // a notification
            let response = try decode(RPCResponse<M.Result>.self, line)
            if let error = response.error { throw ControlError.remote(error) }
            guard response.id == id else { throw ControlError.badResponse("response id \(String(describing: response.id)) does not match \(id)") }
            if let result = response.result { return result }
            if let null = JSONValue.null as? M.Result { return null }
            throw ControlError.badResponse("response has neither result nor error")
        }
    }

    /// Subscribes to task changes and calls `onEvent` for each until it returns false or the daemon closes. When the
    /// daemon says changes may have been missed (`events.resync`), `onResync` runs and the subscription is renewed.
    /// - Parameters:
    ///   - onEvent: handles one change; return false to stop.
    ///   - onResync: called before re-subscribing after missed changes (re-read what you show).
    public func subscribe(_ onEvent: (TaskChange) async throws -> Bool, onResync: () async throws -> Void = {}) async throws {
        _ = try await call(ControlMethods.Subscribe.self, EmptyParams())
        while true {
            let line: [UInt8]
            do { line = try await readLine() } catch let error as ControlError where error.isConnectionClosed { return }
            let probe = try decode(Probe.self, line)
            if probe.method == ControlMethods.resyncNotification {
                try await onResync()
                do {
                    _ = try await call(ControlMethods.Subscribe.self, EmptyParams())
                } catch let error as ControlError where error.isConnectionClosed {
                    return
                }
                continue
            }
            guard probe.method == ControlMethods.taskEventNotification else { continue }
            let note = try decode(RPCNotification<TaskChange>.self, line)
            guard try await onEvent(note.params) else { return }
        }
    }

    // MARK: Wire

    private struct Probe: Decodable {
        var method: String?
    }

    private func send(_ request: some Encodable) async throws {
        var bytes = Array(try JSONEncoder().encode(request))
        bytes.append(UInt8(ascii: "\n"))
        do {
            try await outbound.write(ByteBuffer(bytes: bytes))
        } catch {
            throw ControlError.connectionClosed
        }
    }

    private func readLine() async throws -> [UInt8] {
        let next: ByteBuffer?
        do {
            next = try await iterator.next()
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError.connectionClosed
        }
        guard let next else { throw ControlError.connectionClosed }
        return Array(next.readableBytesView)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ line: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(line))
        } catch {
            throw ControlError.badResponse("cannot decode the daemon's response: \(error)")
        }
    }
}
