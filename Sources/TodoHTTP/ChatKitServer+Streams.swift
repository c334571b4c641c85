import Foundation
import ChatKitProtocol
import TodoCore
import Logging

// MARK: - Streaming request setup

extension ChatKitServer {
    /// Checks the message size and admits a turn (rate and concurrency limits).
    private func admit(_ input: UserMessageInput, user: UserID) async throws {
        guard input.attachments.isEmpty else { throw ChatKitError.notSupported("attachments") }
        let size = input.content.reduce(0) { $0 + ($1["text"]?.stringValue?.utf8.count ?? 0) }
        guard size <= maxMessageBytes else { throw ChatKitError.messageTooLong(limit: maxMessageBytes) }
        try limiter.acquire(user)
    }

    /// Admits a turn and returns its permit.
    private func permit(_ input: UserMessageInput?, user: UserID) async throws -> TurnPermit {
        if let input { try await admit(input, user: user) } else { try limiter.acquire(user) }
        return TurnPermit(limiter: limiter, user: user)
    }

    /// `threads.create`: thread.created (once the thread and message are saved), the user message, stream_options, the response.
    func createThread(input: UserMessageInput, user: UserID, zone: TimeZone) async throws -> ChatKitStream {
        let permit = try await permit(input, user: user)
        let now = clock.now()
        let thread = StoredThread(id: Self.newID("thr"), createdAt: now, payload: ChatKitWire.threadPayload(title: nil).text)
        let message = ChatKitWire.userMessage(id: Self.newID("msg"), threadID: thread.id, createdAt: now, input: input)
        let server = self
        // The write is queued now and runs while the response head goes out and the stream is set up; the
        // stream still waits for it before its first event.
        let saving = await threads.beginSaveItems(Self.storedItem(message).map { [$0] } ?? [], thread: thread, for: user)
        return ChatKitStream { emit in
            defer { permit.release() }
            // The thread and its first message are durable before anything names them: a client never sees a
            // `thread.created` for a thread that a crash or a failed write would lose.
            do {
                try await saving.durable()
            } catch {
                server.logger.error("chatkit: could not save a new thread", metadata: ["error": "\(error)"])
                emit(Self.storeErrorEvent(error, otherwise: "The message could not be saved."))
                return
            }
            emit(ChatKitWire.threadEvent("thread.created", thread: ChatKitWire.thread(id: thread.id, createdAt: thread.createdAt, payload: ChatKitWire.threadPayload(title: nil))))
            emit(ChatKitWire.itemEvent("thread.item.done", item: message))
            emit(ChatKitWire.streamOptions)
            let turn = ResponderInput(user: user, threadID: thread.id, isNewThread: true, history: [], message: input.text, timeZone: zone)
            await server.runTurn(turn, thread: thread, emit: emit)
        }
    }

    /// `threads.add_user_message`: the user message, stream_options, the response.
    func addUserMessage(threadID: String, input: UserMessageInput, user: UserID, zone: TimeZone) async throws -> ChatKitStream {
        let thread = try await loadThread(threadID, user: user)
        let history = try await history(threadID: threadID, before: nil, user: user)
        let permit = try await permit(input, user: user)
        let message = ChatKitWire.userMessage(id: Self.newID("msg"), threadID: threadID, createdAt: clock.now(), input: input)
        do { try await save(message, user: user) } catch {
            permit.release()
            throw error
        }
        let server = self
        return ChatKitStream { emit in
            defer { permit.release() }
            emit(ChatKitWire.itemEvent("thread.item.done", item: message))
            emit(ChatKitWire.streamOptions)
            let turn = ResponderInput(user: user, threadID: threadID, isNewThread: false, history: history, message: input.text, timeZone: zone)
            await server.runTurn(turn, thread: thread, emit: emit)
        }
    }

    /// `threads.retry_after_item`: stream_options, `thread.item.removed` for every newer item, the response.
    func retry(threadID: String, itemID: String, user: UserID, zone: TimeZone) async throws -> ChatKitStream {
        let thread = try await loadThread(threadID, user: user)
        let item = try await loadItem(itemID, threadID: threadID, user: user)
        guard let text = ConversationHistory.userText(of: item) else {
            throw ChatKitError.badRequest(field: "params.item_id", "retry_after_item needs a user message")
        }
        var newer: [String] = []
        var after = itemID
        while true {
            let page = try await threads.items(threadID: threadID, for: user, page: PageRequest(after: after, limit: 100, order: .asc))
            newer += page.data.map(\.id)
            guard page.hasMore, let last = page.data.last?.id else { break }
            after = last
        }
        let history = try await history(threadID: threadID, before: itemID, user: user)
        let permit = try await permit(nil, user: user)
        let toRemove = newer
        let server = self
        return ChatKitStream { emit in
            defer { permit.release() }
            emit(ChatKitWire.streamOptions)
            for id in toRemove {
                do { try await server.threads.deleteItem(id, threadID: threadID, for: user) } catch let e as TodoError where e.code == .notFound {
                    continue
                } catch {
                    emit(Self.storeErrorEvent(error, otherwise: "Earlier replies could not be removed."))
                    return
                }
                emit(ChatKitWire.itemRemoved(id))
            }
            let turn = ResponderInput(user: user, threadID: threadID, isNewThread: false, history: history, message: text, timeZone: zone)
            await server.runTurn(turn, thread: thread, emit: emit)
        }
    }

    /// Persists an item payload.
    func save(_ item: JSONValue, user: UserID) async throws {
        guard let id = item["id"]?.stringValue, let threadID = item["thread_id"]?.stringValue,
            let created = item["created_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else { return }
        try await threads.saveItem(StoredItem(id: id, threadID: threadID, createdAt: created, payload: item.text), for: user)
    }
}
