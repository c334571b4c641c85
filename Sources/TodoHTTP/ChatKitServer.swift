import Foundation
import ChatKitProtocol
import TodoCore
import Logging

// MARK: - Outcome

/// The answer to one ChatKit request: JSON, or a stream of events.
enum ChatKitOutcome: Sendable {
    case json(JSONValue)
    case stream(ChatKitStream)
}

/// A streaming answer whose setup already succeeded (so errors after this point are in-band).
struct ChatKitStream: Sendable {
    /// Produces the events; `emit` never blocks. Runs until the turn ends or the task is cancelled.
    let run: @Sendable (_ emit: @escaping @Sendable (JSONValue) -> Void) async -> Void
}

// MARK: - ChatKitServer

/// The ChatKit protocol over `ThreadRepository` and a `Responder`: request dispatch and the JSON types.
struct ChatKitServer: Sendable {
    let threads: any ThreadRepository
    let responder: any Responder
    let clock: any WallClock
    let limiter: TurnLimiter
    let logger: Logger
    let maxMessageBytes: Int
    let turnTimeoutSeconds: Int
    var metrics: HTTPMetrics = .disabled
    /// The tasks a widget action (`threads.custom_action`) changes; nil refuses such actions.
    var tasks: (any TaskRepository)? = nil

    /// A fresh id: `prefix_` + 16 characters of TodoCore's id alphabet (about 80 bits) from the kernel's random
    /// bytes, fetched 256 at a time for the whole process (`RandomBytes`).
    static func newID(_ prefix: String) -> String {
        prefix + "_" + RandomBytes.shared.token(length: 16)
    }

    /// Parses and serves one request body for `user`.
    /// - Parameters:
    ///   - body: the request body.
    ///   - user: the authenticated user.
    ///   - zone: the user's zone for a turn (the request's `X-Time-Zone`, else the daemon's).
    /// - Throws: `ChatKitError` / `TodoError` / `HTTPAPIError` before any stream starts.
    func handle(body: [UInt8], user: UserID, zone: TimeZone = .current) async throws -> ChatKitOutcome {
        let request = try ChatKitRequest.parse(body)
        switch request {
        case .threadsCreate(let input):
            return try await streaming { try await createThread(input: input, user: user, zone: zone) }
        case .addUserMessage(let threadID, let input):
            return try await streaming { try await addUserMessage(threadID: threadID, input: input, user: user, zone: zone) }
        case .retryAfterItem(let threadID, let itemID):
            return try await streaming { try await retry(threadID: threadID, itemID: itemID, user: user, zone: zone) }
        case .addClientToolOutput(let threadID, _):
            _ = try await loadThread(threadID, user: user)
            let newest = try await threads.items(threadID: threadID, for: user, page: PageRequest(after: nil, limit: 1, order: .desc))
            let last = try newest.data.first.map { try JSONValue.parse($0.payload) }
            guard last?["type"]?.stringValue == "client_tool_call", last?["status"]?.stringValue == "pending" else {
                throw ChatKitError.badRequest(field: "params.thread_id", "the thread has no pending client tool call")
            }
            throw ChatKitError.notSupported("threads.add_client_tool_output")
        case .addStructuredInput(let threadID, let itemID, _):
            _ = try await loadThread(threadID, user: user)
            let item = try await loadItem(itemID, threadID: threadID, user: user)
            guard item["type"]?.stringValue == "structured_input", item["status"]?.stringValue == "pending" else {
                throw ChatKitError.badRequest(field: "params.item_id", "the item is not a pending structured input")
            }
            throw ChatKitError.notSupported("threads.add_structured_input")
        case .customAction(let threadID, let itemID, let action):
            return .stream(try await customAction(threadID: threadID, itemID: itemID, action: action, user: user))
        case .syncCustomAction(let threadID, let itemID, let action):
            return .json(try await syncCustomAction(threadID: threadID, itemID: itemID, action: action, user: user))
        case .createAttachment:
            throw ChatKitError.notSupported("attachments.create")
        case .deleteAttachment:
            throw ChatKitError.notSupported("attachments.delete")
        case .transcribe:
            throw ChatKitError.notSupported("input.transcribe")
        case .getThread(let threadID):
            let stored = try await loadThread(threadID, user: user)
            let page = try await itemPage(threadID: threadID, user: user, params: ListParams(limit: 20, order: .asc, after: nil))
            return .json(ChatKitWire.thread(id: stored.id, createdAt: stored.createdAt, payload: try JSONValue.parse(stored.payload), items: page))
        case .listThreads(let params):
            let page = try await threads.threads(for: user, page: PageRequest(after: params.after, limit: params.limit, order: params.order))
            let data = try page.data.map { ChatKitWire.thread(id: $0.id, createdAt: $0.createdAt, payload: try JSONValue.parse($0.payload)) }
            return .json(ChatKitWire.page(data, hasMore: page.hasMore, after: page.after ?? page.data.last?.id))
        case .updateThread(let threadID, let title):
            var stored = try await loadThread(threadID, user: user)
            let payload = try JSONValue.parse(stored.payload).setting("title", .string(title))
            stored.payload = payload.text
            try await threads.saveThread(stored, for: user)
            return .json(ChatKitWire.thread(id: stored.id, createdAt: stored.createdAt, payload: payload))
        case .deleteThread(let threadID):
            guard isSafeID(threadID) else { throw ChatKitError.notFound("thread \(threadID)") }
            try await threads.deleteThread(threadID, for: user)
            return .json(.object([]))
        case .listItems(let threadID, let params):
            _ = try await loadThread(threadID, user: user)
            return .json(try await itemPage(threadID: threadID, user: user, params: params))
        case .feedback(let threadID, let itemIDs, let kind):
            _ = try await loadThread(threadID, user: user)
            for id in itemIDs { _ = try await loadItem(id, threadID: threadID, user: user) }
            guard let verdict = FeedbackKind(rawValue: kind) else { throw ChatKitError.badRequest(field: "params.kind", "`kind` must be positive or negative") }
            try await threads.saveFeedback(verdict, itemIDs: itemIDs, threadID: threadID, for: user)
            logger.info("chatkit feedback", metadata: ["todo.thread.id": "\(threadID)", "todo.items": "\(itemIDs)", "todo.kind": "\(kind)"])
            return .json(.object([]))
        }
    }

    // MARK: Helpers

    /// A streaming request's answer. When the store is unavailable while the request is set up (loading the
    /// thread, saving the user's message), the client still gets a stream: one in-band `error` event saying so
    /// (allow_retry), as it would for a failure during the turn. Other setup errors stay HTTP errors.
    private func streaming(_ setup: () async throws -> ChatKitStream) async throws -> ChatKitOutcome {
        let start = ContinuousClock.now
        do {
            return .stream(try await setup().instrumented(metrics, since: start))
        } catch let error as TodoError where error.code == .unavailable {
            logger.warning("chatkit: store unavailable; answering with an error event", metadata: ["error": "\(error)"])
            let event = Self.storeErrorEvent(error, otherwise: "")
            return .stream(ChatKitStream { emit in emit(event) })
        }
    }

    /// The in-band `error` event for a failed store call during a stream: a message that says the store is
    /// unavailable for `TodoError.unavailable`, else `message`.
    static func storeErrorEvent(_ error: any Error, otherwise message: String) -> JSONValue {
        ChatKitWire.error(code: "stream.error", message: storeErrorMessage(error, otherwise: message), allowRetry: true)
    }

    /// `storeUnavailableMessage` for `TodoError.unavailable`, else `message`.
    static func storeErrorMessage(_ error: any Error, otherwise message: String) -> String {
        if let error = error as? TodoError, error.code == .unavailable { return storeUnavailableMessage }
        return message
    }

    /// What the chat shows while the data store cannot be reached.
    static let storeUnavailableMessage = "The task store is unavailable right now, so this could not be saved. Please try again in a moment."

    func loadThread(_ id: String, user: UserID) async throws -> StoredThread {
        guard isSafeID(id) else { throw ChatKitError.notFound("thread \(id)") }
        do { return try await threads.thread(id, for: user) } catch let e as TodoError where e.code == .notFound {
            throw ChatKitError.notFound("thread \(id)")
        }
    }

    func loadItem(_ id: String, threadID: String, user: UserID) async throws -> JSONValue {
        guard isSafeID(id) else { throw ChatKitError.notFound("item \(id)") }
        do { return try JSONValue.parse(try await threads.item(id, threadID: threadID, for: user).payload) } catch let e as TodoError where e.code == .notFound {
            throw ChatKitError.notFound("item \(id)")
        }
    }

    /// One page of client-visible items (hidden ones are filtered after paging, like the reference).
    func itemPage(threadID: String, user: UserID, params: ListParams) async throws -> JSONValue {
        if let after = params.after, !isSafeID(after) { throw ChatKitError.notFound("item \(after)") }
        let page = try await threads.items(threadID: threadID, for: user, page: PageRequest(after: params.after, limit: params.limit, order: params.order))
        let data = try page.data.compactMap { ChatKitWire.clientItem(try JSONValue.parse($0.payload)) }
        return ChatKitWire.page(data, hasMore: page.hasMore, after: page.after ?? page.data.last?.id)
    }

    /// Up to 100 items before `itemID` (or the newest 100 when nil), oldest first, as history.
    func history(threadID: String, before itemID: String?, user: UserID) async throws -> [ConversationEntry] {
        let page = try await threads.items(threadID: threadID, for: user, page: PageRequest(after: itemID, limit: 100, order: .desc))
        return ConversationHistory.entries(from: try page.data.reversed().map { try JSONValue.parse($0.payload) })
    }
}
