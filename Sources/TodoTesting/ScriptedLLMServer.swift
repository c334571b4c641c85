import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

// MARK: - ScriptedLLMServer

/// A scripted OpenAI-compatible chat-completions server on loopback (port 0), for tests and benchmarks.
///
/// Every request to any path is recorded and answered by `script(request, n)` (n counts from 0):
/// an SSE stream of `data:` payloads (optionally slow, optionally cut mid-way by closing the
/// connection) or a plain status with a body. Use `ScriptedLLM` to build real stream shapes.
public final class ScriptedLLMServer: Sendable {
    /// One recorded request.
    public struct Request: Sendable {
        /// The HTTP method.
        public var method: String
        /// The path (with query).
        public var path: String
        /// Header name (lowercased) to value.
        public var headers: [String: String]
        /// The body text.
        public var body: String

        /// The body parsed as a JSON object (nil when it is not one).
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }

        /// The `messages` array of a chat-completions body.
        public var messages: [[String: Any]] { json?["messages"] as? [[String: Any]] ?? [] }
    }

    /// How to answer one request.
    public enum Reply: Sendable {
        /// `200 text/event-stream`: each payload as `data: …\n\n`, `delayMilliseconds` apart;
        /// `cutAfter` closes the connection after that many payloads; `done` appends `data: [DONE]`.
        case stream([String], delayMilliseconds: Int = 0, cutAfter: Int? = nil, done: Bool = true)
        /// A plain response with this status and JSON body.
        case status(Int, body: String)
    }

    /// Chooses the reply to request number `n` (from 0).
    public typealias Script = @Sendable (_ request: Request, _ n: Int) -> Reply

    private let channel: any Channel
    private let recorded: Mutex<[Request]>
    private let aborted = Atomic<Int>(0)
    /// The bound port.
    public let port: Int

    /// The base URL to configure the client with: `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// How many streams the client closed before they were complete (for example a cancelled request).
    public var abortedStreams: Int { aborted.load(ordering: .relaxed) }

    /// Every request received so far, in order.
    public var requests: [Request] { recorded.withLock { $0 } }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.recorded = Mutex([])
        self.port = port
    }

    /// Starts a server on 127.0.0.1 with an ephemeral port.
    /// - Parameter script: the reply for each request.
    public static func start(script: @escaping Script) async throws -> ScriptedLLMServer {
        let box = RecorderBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.pipeline.configureHTTPServerPipeline().flatMap {
                    child.pipeline.addHandler(ScriptedHTTPHandler(script: script, box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedLLMServer(channel: channel, port: channel.localAddress?.port ?? 0)
        box.server.withLock { $0 = server }
        return server
    }

    /// Stops listening (open connections are closed).
    public func stop() async {
        try? await channel.close()
    }

    fileprivate func noteAborted() {
        aborted.add(1, ordering: .relaxed)
    }

    fileprivate func record(_ request: Request) -> Int {
        recorded.withLock { list in
            list.append(request)
            return list.count - 1
        }
    }
}

/// Lets handlers reach the server object created after the bootstrap.
private final class RecorderBox: Sendable {
    let server = Mutex<ScriptedLLMServer?>(nil)
}

// MARK: - Handler

private final class ScriptedHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: all state is touched only on the channel's event loop.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let script: ScriptedLLMServer.Script
    private let box: RecorderBox
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(script: @escaping ScriptedLLMServer.Script, box: RecorderBox) {
        self.script = script
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.clear()
        case .body(var b):
            body.writeBuffer(&b)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = ScriptedLLMServer.Request(method: "\(head.method)", path: head.uri, headers: headers, body: String(buffer: body))
            let n = box.server.withLock { $0?.record(request) } ?? 0
            respond(script(request, n), context: context)
        }
    }

    private func respond(_ reply: ScriptedLLMServer.Reply, context: ChannelHandlerContext) {
        switch reply {
        case .status(let code, let text):
            var headers = HTTPHeaders([("content-type", "application/json"), ("content-length", "\(text.utf8.count)")])
            headers.add(name: "connection", value: "keep-alive")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: code), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .stream(let payloads, let delay, let cutAfter, let done):
            let headers = HTTPHeaders([("content-type", "text/event-stream"), ("cache-control", "no-cache"), ("transfer-encoding", "chunked")])
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            var frames = payloads.map { "data: \($0)\n\n" }
            if done && cutAfter == nil { frames.append("data: [DONE]\n\n") }
            send(frames, index: 0, delay: delay, cutAfter: cutAfter, context: context)
        }
    }

    private func send(_ frames: [String], index: Int, delay: Int, cutAfter: Int?, context: ChannelHandlerContext) {
        if let cutAfter, index >= cutAfter {
            context.close(promise: nil)
            return
        }
        guard index < frames.count else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: frames[index])))), promise: nil)
        if delay > 0 {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay))) {
                let (handler, context) = loopBound.value
                guard context.channel.isActive else {
                    handler.box.server.withLock { $0 }?.noteAborted()
                    return
                }
                handler.send(frames, index: index + 1, delay: delay, cutAfter: cutAfter, context: context)
            }
        } else {
            send(frames, index: index + 1, delay: delay, cutAfter: cutAfter, context: context)
        }
    }
}
