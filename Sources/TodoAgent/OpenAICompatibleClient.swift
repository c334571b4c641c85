public import AsyncHTTPClient
import Foundation
import MCP
import NIOCore
import NIOHTTP1

// MARK: - LLMClient

/// A streaming chat-completions model: the one side effect of the agent loop.
public protocol LLMClient: Sendable {
    /// Streams one model response.
    ///
    /// Errors are `TodoAgentError` (HTTP status, transport, stream cut, malformed stream).
    /// Cancelling the consuming task cancels the HTTP request.
    /// - Parameter request: model, messages and tools.
    /// - Returns: text deltas as they arrive, then the complete tool calls, usage and `finished`.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error>

    /// Streams one model response into `sink`, in the caller's task (no stream, task or hop per event).
    ///
    /// The same events, order and errors as `stream(_:)`; cancellation of the calling task cancels the request
    /// and throws `CancellationError`.
    /// - Parameters:
    ///   - request: model, messages and tools.
    ///   - sink: called once per event, in order.
    func stream(_ request: ChatRequest, into sink: (LLMStreamEvent) async -> Void) async throws
}

extension LLMClient {
    /// Drains `stream(_:)` into `sink` (clients without a direct path).
    public func stream(_ request: ChatRequest, into sink: (LLMStreamEvent) async -> Void) async throws {
        for try await event in stream(request) { await sink(event) }
    }
}

// MARK: - OpenAICompatibleClient

/// `POST {base}/chat/completions` with `stream: true`, `tools` and `stream_options.include_usage`,
/// over AsyncHTTPClient. Works with OpenAI, Ollama (`/v1`), llama.cpp's server (`--jinja`) and the like.
public struct OpenAICompatibleClient: LLMClient {
    /// The base URL, for example `https://api.openai.com/v1`.
    public let baseURL: String
    /// The bearer token, if any.
    public let apiKey: String?
    /// The longest AsyncHTTPClient waits for a response head before it gives up.
    public let requestTimeout: Duration
    private let httpClient: HTTPClient

    /// - Parameters:
    ///   - baseURL: the base URL (a trailing `/` is ignored).
    ///   - apiKey: the bearer token; nil sends no `Authorization` header.
    ///   - requestTimeout: how long AsyncHTTPClient waits for the response head (its deadline ends there: the
    ///     body is bounded by the caller's own timeout, which cancels the call, as the agent's turn limit does).
    ///   - httpClient: the client (`HTTPClient.modelCalls`, process-wide, by default).
    public init(baseURL: String, apiKey: String?, requestTimeout: Duration = .seconds(60), httpClient: HTTPClient = .modelCalls) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.httpClient = httpClient
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await run(request) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: Task.isCancelled ? CancellationError() : error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func stream(_ request: ChatRequest, into sink: (LLMStreamEvent) async -> Void) async throws {
        do {
            try await run(request, sink)
        } catch {
            throw Task.isCancelled ? CancellationError() : error
        }
    }

    // MARK: - Request

    private func run(_ request: ChatRequest, _ sink: (LLMStreamEvent) async -> Void) async throws {
        var http = HTTPClientRequest(url: baseURL + "/chat/completions")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey, !apiKey.isEmpty { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        http.body = .bytes(ByteBuffer(bytes: request.wireBytes()))

        let response: HTTPClientResponse
        do {
            let (seconds, attoseconds) = requestTimeout.components
            response = try await httpClient.execute(http, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw TodoAgentError.transport("\(error)")
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = (try? await response.body.collect(upTo: 4096)).map { String(buffer: $0) } ?? ""
            throw TodoAgentError.http(status: Int(response.status.code), body: body)
        }

        var sse = SSEDecoder()
        var accumulator = ChatStreamAccumulator()
        do {
            for try await buffer in response.body {
                for data in try sse.feed(buffer.readableBytesView) {
                    for event in try accumulator.consume(data) { await sink(event) }
                }
            }
        } catch let error as TodoAgentError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw TodoAgentError.streamCut("\(error)")
        }
        if let tail = sse.finish() {
            for event in try accumulator.consume(tail) { await sink(event) }
        }
        guard accumulator.isComplete else {
            throw TodoAgentError.streamCut("the connection closed before the model finished its response")
        }
        let calls = accumulator.toolCalls
        if !calls.isEmpty { await sink(.toolCalls(calls)) }
        await sink(.finished(reason: accumulator.finishReason))
    }
}

// MARK: - The model calls' HTTP client

extension HTTPClient {
    /// The process-wide client for model calls: AsyncHTTPClient's shared settings, less two that cost a token
    /// stream and buy it nothing.
    /// - No idle-read timeout: it re-arms a timer on every read of the stream (a scheduled task allocated and
    ///   another cancelled per chunk). A model that stalls mid-stream is still cut off: every model call runs
    ///   under a time limit that cancels it (the agent's turn limit, the title's own).
    /// - No response decompression: a token stream is not worth buffering through gzip, and without it the
    ///   request does not offer one.
    public static let modelCalls: HTTPClient = {
        // No TLS configuration: AsyncHTTPClient's default client one, which verifies certificates.
        var configuration = Configuration(
            redirectConfiguration: .follow(max: 20, allowCycles: false),
            timeout: Configuration.Timeout(connect: .seconds(90), read: nil),
            decompression: .disabled)
        configuration.connectionPool.idleTimeout = .seconds(600)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
