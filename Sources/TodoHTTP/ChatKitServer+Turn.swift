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
        let timeout = turnTimeoutSeconds
        return await withTaskGroup(of: TurnTranslator?.self) { group in
            group.addTask {
                await self.consume(input, thread: thread, emit: emit, timedOut: timedOut)
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                if !Task.isCancelled { timedOut.value.store(true, ordering: .sequentiallyConsistent) }
                return nil
            }
            var result: TurnTranslator?
            while let next = await group.next() {
                if let translator = next {
                    result = translator
                    group.cancelAll()
                } else if timedOut.value.load(ordering: .sequentiallyConsistent) {
                    group.cancelAll()
                }
            }
            return result ?? TurnTranslator(threadID: input.threadID, newID: Self.newID)
        }
    }

    private func consume(_ input: ResponderInput, thread: StoredThread, emit: @escaping @Sendable (JSONValue) -> Void, timedOut: TimeoutFlag) async -> TurnTranslator {
        var translator = TurnTranslator(threadID: input.threadID, newID: Self.newID)
        var title: String?
        do {
            for try await event in responder.respond(to: input) {
                if Task.isCancelled { break }
                let outputs = translator.apply(event, now: clock.now())
                if try await perform(outputs, thread: thread, title: &title, user: input.user, emit: emit) == false { return translator }
                if translator.isFinished { break }
            }
        } catch is CancellationError {
            // handled below
        } catch {
            if !Task.isCancelled {
                logger.warning("chatkit: responder failed", metadata: ["todo.thread.id": "\(input.threadID)", "error": "\(error)"])
                let outputs = translator.fail(message: Self.storeErrorMessage(error, otherwise: "The assistant failed to answer. Please try again."))
                _ = try? await perform(outputs, thread: thread, title: &title, user: input.user, emit: emit)
                return translator
            }
        }
        if Task.isCancelled {
            let title = title
            if timedOut.value.load(ordering: .sequentiallyConsistent) {
                let outputs = translator.apply(.error(message: "The assistant took too long to answer.", allowRetry: true), now: clock.now())
                await detached { var t = title; _ = try? await self.perform(outputs, thread: thread, title: &t, user: input.user, emit: emit) }
            } else {
                let outputs = translator.cancel()
                logger.info("chatkit: client disconnected; keeping the streamed part", metadata: ["todo.thread.id": "\(input.threadID)"])
                await detached { var t = title; _ = try? await self.perform(outputs, thread: thread, title: &t, user: input.user, emit: { _ in }) }
            }
            return translator
        }
        let outputs = translator.finish()
        _ = try? await perform(outputs, thread: thread, title: &title, user: input.user, emit: emit)
        return translator
    }

    /// Runs `work` outside the current (cancelled) task so saves still happen.
    private func detached(_ work: @escaping @Sendable () async -> Void) async {
        await Task { await work() }.value
    }

    /// Executes translator outputs in order. Returns false when a save failed (an error event was sent).
    private func perform(_ outputs: [TurnOutput], thread: StoredThread, title: inout String?, user: UserID, emit: @Sendable (JSONValue) -> Void) async throws -> Bool {
        for output in outputs {
            switch output {
            case .event(let event):
                emit(event)
            case .saveItem(let id, let createdAt, let payload):
                do {
                    try await threads.saveItem(StoredItem(id: id, threadID: thread.id, createdAt: createdAt, payload: payload.text), for: user)
                } catch {
                    logger.error("chatkit: could not save an item", metadata: ["todo.thread.id": "\(thread.id)", "error": "\(error)"])
                    emit(Self.storeErrorEvent(error, otherwise: "The reply could not be saved."))
                    return false
                }
            case .title(let newTitle):
                guard title == nil else { continue }
                title = newTitle
                do {
                    var current = try await threads.thread(thread.id, for: user)
                    let payload = try JSONValue.parse(current.payload).setting("title", .string(newTitle))
                    current.payload = payload.text
                    try await threads.saveThread(current, for: user)
                    emit(ChatKitWire.threadEvent("thread.updated", thread: ChatKitWire.thread(id: current.id, createdAt: current.createdAt, payload: payload)))
                } catch {
                    logger.warning("chatkit: could not save the title", metadata: ["todo.thread.id": "\(thread.id)", "error": "\(error)"])
                }
            }
        }
        return true
    }
}

/// Set when a turn's timeout fired (so cancellation is not mistaken for a client disconnect).
final class TimeoutFlag: Sendable {
    let value = Atomic<Bool>(false)
}
