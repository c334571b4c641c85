import ChatKitProtocol
import TodoCore
import Logging
import Synchronization

// MARK: - Running a turn

extension ChatKitServer {
    /// Streams one responder turn: translates its events, persists finished items, enforces the turn
    /// timeout, and on cancellation (client gone) saves what was already streamed.
    /// - Returns: the translator's final state (text and tool calls, for the legacy `/api/chat`).
    @discardableResult
    func runTurn(_ input: ResponderInput, thread: StoredThread, emit: @escaping @Sendable (JSONValue) -> Void) async -> TurnTranslator {
        let timedOut = TimeoutFlag()
        return await Deadlines.shared.run(limit: .seconds(turnTimeoutSeconds), onExpiry: {
            timedOut.value.store(true, ordering: .sequentiallyConsistent)
        }) {
            await self.consume(input, thread: thread, emit: emit, timedOut: timedOut)
        }.value
    }

    private func consume(_ input: ResponderInput, thread: StoredThread, emit: @escaping @Sendable (JSONValue) -> Void, timedOut: TimeoutFlag) async -> TurnTranslator {
        let state = TurnState(TurnTranslator(threadID: input.threadID, newID: Self.newID))
        let server = self
        var failure: (any Error)?
        do {
            // Each event is translated and streamed in the responder's own task as it happens (no stream and
            // no task hop per event); after the turn ended (an error event) or was cancelled, nothing more is.
            try await responder.respond(to: input) { event in
                if Task.isCancelled { return false }
                let outputs = state.apply(event, now: server.clock.now())
                if !outputs.isEmpty {
                    var writes = state.takeWrites()
                    await server.perform(outputs, thread: thread, writes: &writes, user: input.user, emit: emit)
                    state.putWrites(writes)
                }
                return !state.isFinished && !Task.isCancelled
            }
        } catch is CancellationError {
            // handled below
        } catch {
            failure = error
        }
        var translator = state.translator
        var writes = state.takeWrites()
        if let error = failure {
            if !Task.isCancelled {
                logger.warning("chatkit: responder failed", metadata: ["todo.thread.id": "\(input.threadID)", "error": "\(error)"])
                let outputs = translator.fail(message: Self.storeErrorMessage(error, otherwise: "The assistant failed to answer. Please try again."))
                await perform(outputs, thread: thread, writes: &writes, user: input.user, emit: emit)
                await flush(writes, thread: thread, user: input.user, emit: emit)
                return translator
            }
        }
        if Task.isCancelled {
            let pending = writes
            if timedOut.value.load(ordering: .sequentiallyConsistent) {
                let outputs = translator.apply(.error(message: "The assistant took too long to answer.", allowRetry: true), now: clock.now())
                await detached {
                    var w = pending
                    await self.perform(outputs, thread: thread, writes: &w, user: input.user, emit: emit)
                    await self.flush(w, thread: thread, user: input.user, emit: emit)
                }
            } else {
                let outputs = translator.cancel()
                logger.info("chatkit: client disconnected; keeping the streamed part", metadata: ["todo.thread.id": "\(input.threadID)"])
                await detached {
                    var w = pending
                    await self.perform(outputs, thread: thread, writes: &w, user: input.user, emit: { _ in })
                    await self.flush(w, thread: thread, user: input.user, emit: { _ in })
                }
            }
            return translator
        }
        let outputs = translator.finish()
        await perform(outputs, thread: thread, writes: &writes, user: input.user, emit: emit)
        await flush(writes, thread: thread, user: input.user, emit: emit)
        return translator
    }

    /// Runs `work` outside the current (cancelled) task so saves still happen.
    private func detached(_ work: @escaping @Sendable () async -> Void) async {
        await Task { await work() }.value
    }

    /// Executes translator outputs in order: streams events, and collects the items and the title the turn
    /// saves at its end (`flush`), or earlier at a `.checkpoint` (a complete reply before its title call). A tool's own effect (a task it added) is durable through the task store
    /// before its result reaches the model; the turn's items need only be durable before the stream ends.
    private func perform(_ outputs: [TurnOutput], thread: StoredThread, writes: inout TurnWrites, user: UserID, emit: @Sendable (JSONValue) -> Void) async {
        for output in outputs {
            switch output {
            case .event(let event):
                emit(event)
            case .saveItem(let id, let createdAt, let payload):
                writes.items.append(StoredItem(id: id, threadID: thread.id, createdAt: createdAt, payload: payload.text))
            case .checkpoint:
                await flush(writes, thread: thread, user: user, emit: emit)
                writes.items = []
            case .title(let newTitle):
                guard !writes.titled else { continue }
                writes.titled = true
                do {
                    var current = try await threads.thread(thread.id, for: user)
                    let payload = try JSONValue.parse(current.payload).setting("title", .string(newTitle))
                    current.payload = payload.text
                    writes.thread = current
                    writes.threadEvent = ChatKitWire.threadEvent("thread.updated", thread: ChatKitWire.thread(id: current.id, createdAt: current.createdAt, payload: payload))
                } catch {
                    logger.warning("chatkit: could not set the title", metadata: ["todo.thread.id": "\(thread.id)", "error": "\(error)"])
                }
            }
        }
    }

    /// Saves what the turn collected in one durable write, then streams `thread.updated` for a new title; on a
    /// failed write streams an error event instead. The stream ends after this returns.
    private func flush(_ writes: TurnWrites, thread: StoredThread, user: UserID, emit: @Sendable (JSONValue) -> Void) async {
        guard !writes.items.isEmpty || writes.thread != nil else { return }
        do {
            try await threads.saveItems(writes.items, thread: writes.thread, for: user)
        } catch {
            logger.error("chatkit: could not save the turn", metadata: ["todo.thread.id": "\(thread.id)", "error": "\(error)"])
            emit(Self.storeErrorEvent(error, otherwise: "The reply could not be saved."))
            return
        }
        if let event = writes.threadEvent { emit(event) }
    }

    /// The stored form of a ChatKit item payload (nil when it lacks an id, thread id or creation time).
    static func storedItem(_ item: JSONValue) -> StoredItem? {
        guard let id = item["id"]?.stringValue, let threadID = item["thread_id"]?.stringValue,
            let created = item["created_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else { return nil }
        return StoredItem(id: id, threadID: threadID, createdAt: created, payload: item.text)
    }
}

/// What a turn saves at its end: its finished items in order and, when it got a title, the thread's new
/// metadata (with the `thread.updated` event streamed once that is durable).
struct TurnWrites: Sendable {
    var items: [StoredItem] = []
    var thread: StoredThread?
    var threadEvent: JSONValue?
    var titled = false
}

/// A turn's translator and pending writes while the responder hands events over (one at a time, in order).
final class TurnState: Sendable {
    private struct State: Sendable {
        var translator: TurnTranslator
        var writes = TurnWrites()
    }

    private let state: Mutex<State>

    init(_ translator: TurnTranslator) {
        state = Mutex(State(translator: translator))
    }

    /// The translator as it stands.
    var translator: TurnTranslator { state.withLock { $0.translator } }

    /// Whether the turn already ended (later events are ignored).
    var isFinished: Bool { state.withLock { $0.translator.isFinished } }

    /// Translates one event.
    func apply(_ event: ResponderEvent, now: Timestamp) -> [TurnOutput] {
        state.withLock { $0.translator.apply(event, now: now) }
    }

    /// The pending writes, leaving none (so appending to them copies nothing).
    func takeWrites() -> TurnWrites {
        state.withLock { s in
            defer { s.writes = TurnWrites() }
            return s.writes
        }
    }

    /// Puts the pending writes back.
    func putWrites(_ writes: TurnWrites) {
        state.withLock { $0.writes = writes }
    }
}

/// Set when a turn's timeout fired (so cancellation is not mistaken for a client disconnect).
final class TimeoutFlag: Sendable {
    let value = Atomic<Bool>(false)
}
