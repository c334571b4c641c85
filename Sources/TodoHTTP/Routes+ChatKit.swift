import Foundation
import Hummingbird
import ChatKitProtocol
import TodoCore
import NIOCore

// MARK: - POST /api/chatkit and POST /api/chat

extension HTTPServer {
    /// `POST /api/chatkit` and `POST /api/chat`; a turn reads dates in the request's `X-Time-Zone` (422 `time_zone` when unknown).
    /// - Parameter defaultZone: the daemon's zone, for turns whose request has no `X-Time-Zone`.
    static func addChatRoutes(to router: Router<TodoRequestContext>, chatkit: ChatKitServer, maxBody: Int, defaultZone: TimeZone) {
        router.post("/api/chatkit") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let zone = try RequestDateContext.resolve(request, clock: chatkit.clock, defaultZone: defaultZone).zone
            let body = try await request.collectLimited(maxBody)
            switch try await chatkit.handle(body: body, user: user, zone: zone) {
            case .json(let value):
                return jsonResponse(value)
            case .stream(let stream):
                return sseResponse(stream, on: context.eventLoop)
            }
        }

        router.post("/api/chat") { request, context -> Response in
            var request = request
            let user = try context.requireUser()
            let zone = try RequestDateContext.resolve(request, clock: chatkit.clock, defaultZone: defaultZone).zone
            let body = try await decodeBody(ChatRequest.self, &request, limit: maxBody)
            return jsonResponse(try await chatkit.legacyChat(message: body.message, conversationID: body.conversationID, user: user, zone: zone))
        }
    }

    /// A compact JSON response.
    static func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes)))
    }

    /// `text/event-stream` of ChatKit events; a failed write (client gone) cancels the turn. Events that
    /// queue up while a write is in flight go out together in the next write (`SSEFrameQueue`).
    static func sseResponse(_ stream: ChatKitStream, on loop: any EventLoop) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let frames = SSEFrameQueue()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await stream.run { event in frames.append(ChatKitWire.sseFrame(event)) }
                    frames.finish()
                }
                // The writer runs on the connection's event loop (the turn above does not: it was started
                // before): an append resumes it there, and its writes reach the channel without another hop.
                try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
                    while let bytes = await frames.next() {
                        try await writer.write(ByteBuffer(bytes: bytes))
                    }
                }
                try await group.waitForAll()
            }
            try await writer.finish(nil)
        })
    }
}

// MARK: - Legacy /api/chat

extension ChatKitServer {
    /// `{message, conversation_id?}` → `{conversation_id, response, tool_calls}`, sharing ChatKit threads.
    func legacyChat(message: String, conversationID: String?, user: UserID, zone: TimeZone = .current) async throws -> JSONValue {
        guard message.utf8.count <= maxMessageBytes else { throw HTTPAPIError.validation(field: "message", "message must be at most \(maxMessageBytes) bytes") }
        let input = UserMessageInput(content: [.obj(["type": "input_text", "text": .string(message)])], attachments: [], inferenceOptions: .object([]), quotedText: nil)
        let thread: StoredThread
        let history: [ConversationEntry]
        if let conversationID {
            thread = try await loadThread(conversationID, user: user)
            history = try await self.history(threadID: thread.id, before: nil, user: user)
        } else {
            thread = StoredThread(id: Self.newID("thr"), createdAt: clock.now(), payload: ChatKitWire.threadPayload(title: nil).text)
            history = []
        }
        try limiter.acquire(user)
        let permit = TurnPermit(limiter: limiter, user: user)
        defer { permit.release() }
        if conversationID == nil { try await threads.saveThread(thread, for: user) }
        try await save(ChatKitWire.userMessage(id: Self.newID("msg"), threadID: thread.id, createdAt: clock.now(), input: input), user: user)
        let turn = ResponderInput(user: user, threadID: thread.id, isNewThread: conversationID == nil, history: history, message: message, timeZone: zone)
        let result = await runTurn(turn, thread: thread, emit: { _ in })
        if let failure = result.failure, result.fullText.isEmpty {
            throw HTTPAPIError.assistantUnavailable(failure.message)
        }
        let calls = result.toolCalls.map { call in
            JSONValue.obj(["name": .string(call.name), "arguments": (try? JSONValue.parse(call.arguments)) ?? .string(call.arguments), "result": .string(call.result)])
        }
        return .obj(["conversation_id": .string(thread.id), "response": .string(result.fullText), "tool_calls": .array(calls)])
    }
}

/// `POST /api/chat`: `{message, conversation_id?}`; `message` must have a scalar that is not white space.
struct ChatRequest: Decodable, Sendable {
    var message: String
    var conversationID: String?

    enum CodingKeys: String, CodingKey {
        case message
        case conversationID = "conversation_id"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        message = try c.decode(String.self, forKey: .message)
        conversationID = try c.decodeIfPresent(String.self, forKey: .conversationID)
        guard message.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw HTTPAPIError.validation(field: "message", "`message` must not be empty")
        }
    }
}
