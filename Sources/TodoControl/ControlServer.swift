public import Logging
public import NIOCore
import NIOPosix
import Synchronization

// MARK: - Configuration

/// How the control server listens and what it tolerates.
public struct ControlServerConfiguration: Sendable {
    /// Where to listen.
    public var listener: ControlListener
    /// The longest request line, in bytes (default 1 MiB).
    public var maxLineBytes: Int
    /// Connections that send nothing for this long are closed (subscribers are exempt).
    public var idleTimeout: Duration
    /// Connection counts for `/metrics` (records nothing unless the daemon sets its own).
    public var metrics: ControlMetrics = .disabled

    /// - Parameters:
    ///   - listener: where to listen.
    ///   - maxLineBytes: the longest request line.
    ///   - idleTimeout: the idle timeout.
    public init(listener: ControlListener, maxLineBytes: Int = ControlLineDecoder.defaultMaxLineBytes, idleTimeout: Duration = .seconds(300)) {
        self.listener = listener
        self.maxLineBytes = maxLineBytes
        self.idleTimeout = idleTimeout
    }
}

// MARK: - Server

/// The newline-delimited JSON-RPC 2.0 server on a Unix socket.
///
/// `bind` makes the socket accept connections (the kernel queues them), `run` serves them until
/// `initiateShutdown()`: then it stops accepting, lets in-flight requests finish, closes idle and
/// subscribed connections, and (when it bound the path itself) removes the socket file.
public final class ControlServer: Sendable {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private let serverChannel: NIOAsyncChannel<Connection, Never>
    private let configuration: ControlServerConfiguration
    private let handler: any ControlHandler
    private let access: ControlAccess
    private let logger: Logger
    private let boundInode: UInt64?
    private let connections = Mutex<[ObjectIdentifier: ConnectionState]>([:])
    private let shuttingDown = Atomic<Bool>(false)

    /// The listener's description (`/path/todod.sock` or `fd:3`).
    public var listenerDescription: String { configuration.listener.description }

    private init(
        serverChannel: NIOAsyncChannel<Connection, Never>, configuration: ControlServerConfiguration,
        handler: any ControlHandler, access: ControlAccess, logger: Logger, boundInode: UInt64?
    ) {
        self.serverChannel = serverChannel
        self.configuration = configuration
        self.handler = handler
        self.access = access
        self.logger = logger
        self.boundInode = boundInode
    }

    /// Binds (or adopts) the listening socket.
    /// - Parameters:
    ///   - configuration: listener and limits.
    ///   - handler: executes requests.
    ///   - access: who may connect.
    ///   - logger: the logger (label `todo.control`).
    ///   - group: the event loop group.
    public static func bind(
        configuration: ControlServerConfiguration, handler: any ControlHandler, access: ControlAccess, logger: Logger,
        group: (any EventLoopGroup)? = nil
    ) async throws -> ControlServer {
        let maxLine = configuration.maxLineBytes
        let idle = TimeAmount.nanoseconds(
            configuration.idleTimeout.components.seconds * 1_000_000_000 + configuration.idleTimeout.components.attoseconds / 1_000_000_000)
        let bootstrap = ServerBootstrap(group: group ?? MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(IdleStateHandler(readTimeout: idle), name: ConnectionState.idleHandlerName)
                try sync.addHandler(IdleCloseHandler(), name: ConnectionState.idleCloseHandlerName)
                try sync.addHandler(ByteToMessageHandler(ControlLineFramer(maxLineBytes: maxLine)))
                return try Self.wrap(channel)
            }
        }
        let channel: NIOAsyncChannel<Connection, Never>
        var inode: UInt64?
        switch configuration.listener {
        case .path(let path, let mode, let groupID):
            try ControlSocketPath.prepare(path, groupID: groupID)
            do {
                channel = try await bootstrap.bind(unixDomainSocketPath: path, childChannelInitializer: initializer)
            } catch {
                throw ControlError.socketSetup("cannot bind \(path): \(error)")
            }
            inode = try ControlSocketPath.finish(path, mode: mode, groupID: groupID)
        case .inherited(let fd):
            do {
                channel = try await bootstrap.bind(fd, childChannelInitializer: initializer)
            } catch {
                throw ControlError.socketSetup("cannot adopt inherited socket fd \(fd): \(error)")
            }
        }
        logger.info("control socket listening", metadata: ["todo.socket": "\(configuration.listener)"])
        return ControlServer(
            serverChannel: channel, configuration: configuration, handler: handler, access: access, logger: logger, boundInode: inode)
    }

    /// Serves connections until `initiateShutdown()` (or the listener fails).
    public func run() async throws {
        defer {
            if case .path(let path, _, _) = configuration.listener, let boundInode {
                ControlSocketPath.remove(path, inode: boundInode)
            }
        }
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
        }
        logger.debug("control server stopped")
    }

    /// Begins a graceful shutdown: stop accepting, drain in-flight requests, close idle connections.
    public func initiateShutdown() {
        guard !shuttingDown.exchange(true, ordering: .relaxed) else { return }
        serverChannel.channel.close(promise: nil)
        let live = connections.withLock { Array($0.values) }
        for state in live { state.drain() }
    }

    // MARK: Connections

    /// Wraps an accepted channel. Deinit-based teardown on purpose: NIO drops children it accepted while the
    /// listener closes (shutdown) without delivering them, and a wrapper without it would trap on deinit
    /// ("Deinited NIOAsyncWriter without calling finish()"). Delivered connections are still always closed
    /// through `executeThenClose`.
    /// (This is the one deprecation warning in the module, kept deliberately.)
    private static func wrap(_ channel: any Channel) throws -> Connection {
        try Connection(synchronouslyWrapping: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
    }

    private func serve(_ connection: Connection) async {
        configuration.metrics.connectionOpened()
        defer { configuration.metrics.connectionClosed() }
        let state = ConnectionState(channel: connection.channel)
        connections.withLock { $0[ObjectIdentifier(state)] = state }
        defer { _ = connections.withLock { $0.removeValue(forKey: ObjectIdentifier(state)) } }
        if shuttingDown.load(ordering: .relaxed) { state.drain() }
        let session = ControlSession(
            connection: connection, state: state, handler: handler, access: access,
            decoder: ControlLineDecoder(maxLineBytes: configuration.maxLineBytes), logger: logger)
        await session.run()
    }
}
