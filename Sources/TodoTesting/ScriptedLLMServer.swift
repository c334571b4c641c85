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
///
/// The agent names a new thread with one extra model call after its first reply. By default such title
/// requests (`Request.isTitleRequest`) are answered by `titles` (the first six words of the user's message)
/// without reaching `script`, and are kept apart in `titleRequests`, so scripts and request counts only see
/// the turn's own calls. Pass `titles: nil` to send them to `script` like any other request.
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

        /// Whether this is the agent's title call: no tools, and a system prompt starting with
        /// `ScriptedLLMServer.titlePromptPrefix` (the start of `AgentTitles.instruction` in TodoAgent).
        public var isTitleRequest: Bool {
            guard let json, json["tools"] == nil, let first = messages.first, first["role"] as? String == "system" else { return false }
            return (first["content"] as? String)?.hasPrefix(ScriptedLLMServer.titlePromptPrefix) == true
        }

        /// The first user message's text (for a title request: the message the thread started with).
        public var firstUserText: String {
            messages.first { $0["role"] as? String == "user" }?["content"] as? String ?? ""
        }
    }

    /// How the agent's title prompt starts (kept in step with TodoAgent by a test).
    public static let titlePromptPrefix = "You name conversations."

    /// The default answer to title requests: the first six words of the user's first message, streamed.
    public static let firstWordsTitle: @Sendable (Request) -> Reply = { request in
        let words = request.firstUserText.split(whereSeparator: { $0.isWhitespace }).prefix(6).joined(separator: " ")
        return .stream(ScriptedLLM.text([words]))
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
    private let recordedTitles = Mutex<[Request]>([])
    /// Answers title requests; nil sends them to the script.
    let titles: (@Sendable (Request) -> Reply)?
    private let aborted = Atomic<Int>(0)
    /// The bound port.
    public let port: Int

    /// The base URL to configure the client with: `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// How many streams the client closed before they were complete (for example a cancelled request).
    public var abortedStreams: Int { aborted.load(ordering: .relaxed) }

    /// Every request received so far, in order (without the title requests `titles` answered).
    public var requests: [Request] { recorded.withLock { $0 } }

    /// The title requests `titles` answered, in order.
    public var titleRequests: [Request] { recordedTitles.withLock { $0 } }

    private init(channel: any Channel, port: Int, titles: (@Sendable (Request) -> Reply)?) {
        self.channel = channel
        self.recorded = Mutex([])
        self.port = port
        self.titles = titles
    }

    /// Starts a server on 127.0.0.1 with an ephemeral port.
    /// - Parameters:
    ///   - titles: the answer to the agent's title requests (nil: they go to `script`).
    ///   - script: the reply for each request.
    public static func start(titles: (@Sendable (Request) -> Reply)? = firstWordsTitle, script: @escaping Script) async throws -> ScriptedLLMServer {
        let box = RecorderBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.pipeline.configureHTTPServerPipeline().flatMap {
                    child.pipeline.addHandler(ScriptedHTTPHandler(script: script, box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedLLMServer(channel: channel, port: channel.localAddress?.port ?? 0, titles: titles)
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

    /// The reply to a title request when `titles` answers it (recorded apart), else nil.
    fileprivate func answerTitle(_ request: Request) -> Reply? {
        guard let titles, request.isTitleRequest else { return nil }
        recordedTitles.withLock { $0.append(request) }
        return titles(request)
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
            let server = box.server.withLock { $0 }
            if let reply = server?.answerTitle(request) {
                respond(reply, context: context)
                return
            }
            let n = server?.record(request) ?? 0
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
