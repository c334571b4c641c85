import ChatKitProtocol
import TodoCore
import Logging

// MARK: - threads.custom_action / threads.sync_custom_action

extension ChatKitServer {
    /// Why an action on a task-list widget was refused (shown to the user; nothing was changed).
    struct ActionRefused: Error {
        let message: String
    }

    /// `threads.custom_action`: performs a task-list widget's action (complete / reopen) as `user`, saves the
    /// widget with the task's new state and streams it as `thread.item.replaced`.
    ///
    /// Before the stream: the thread and item must be the user's (else 404). In the stream, as the reference
    /// does: an item that is not a widget gets one `error` (stream.error, no retry) without `stream_options`;
    /// an unknown action, a task that is not in that widget, or one the user does not have (another user's
    /// id) gets `stream_options` and one `error`, and changes nothing.
    func customAction(threadID: String, itemID: String?, action: JSONValue, user: UserID) async throws -> ChatKitStream {
        _ = try await loadThread(threadID, user: user)
        guard let itemID else {
            return ChatKitStream { emit in
                emit(ChatKitWire.streamOptions)
                emit(ChatKitWire.error(message: "This action must come from a widget in the conversation.", allowRetry: false))
            }
        }
        let item = try await loadItem(itemID, threadID: threadID, user: user)
        guard item["type"]?.stringValue == "widget" else {
            return ChatKitStream { emit in emit(ChatKitWire.error(code: "stream.error", message: nil, allowRetry: false)) }
        }
        let server = self
        return ChatKitStream { emit in
            emit(ChatKitWire.streamOptions)
            do {
                let updated = try await server.performWidgetAction(action, item: item, user: user)
                emit(ChatKitWire.itemEvent("thread.item.replaced", item: updated))
            } catch let refused as ActionRefused {
                emit(ChatKitWire.error(message: refused.message, allowRetry: false))
            } catch let error as ChatKitError {
                emit(ChatKitWire.error(message: error.message, allowRetry: false))
            } catch {
                server.logger.warning("chatkit: widget action failed", metadata: ["todo.thread.id": "\(threadID)", "error": "\(error)"])
                emit(Self.storeErrorEvent(error, otherwise: "The action could not be done. Please try again."))
            }
        }
    }

    /// `threads.sync_custom_action`: the same action, answered with `{"updated_item": item}`.
    /// - Throws: 404 for another user's thread or item, 400 for an item that is not a widget, an unknown action,
    ///   or a task the widget does not show or the user does not have.
    func syncCustomAction(threadID: String, itemID: String?, action: JSONValue, user: UserID) async throws -> JSONValue {
        _ = try await loadThread(threadID, user: user)
        guard let itemID else { throw ChatKitError.badRequest(field: "params.item_id", "this action must come from a widget in the conversation") }
        let item = try await loadItem(itemID, threadID: threadID, user: user)
        guard item["type"]?.stringValue == "widget" else { throw ChatKitError.badRequest(field: "params.item_id", "the item is not a widget") }
        do {
            return .obj(["updated_item": try await performWidgetAction(action, item: item, user: user)])
        } catch let refused as ActionRefused {
            throw ChatKitError.badRequest(field: "params.action.payload", refused.message)
        }
    }

    /// Does the action for `user`, then saves and returns the widget item with the task's row rebuilt.
    private func performWidgetAction(_ action: JSONValue, item: JSONValue, user: UserID) async throws -> JSONValue {
        let parsed = try TaskWidgetAction(action: action)
        guard TaskListWidget.taskIDs(in: item).contains(parsed.taskID) else {
            throw ActionRefused(message: "That task is not in this list.")
        }
        guard let tasks else { throw ActionRefused(message: "Tasks cannot be changed from the chat on this server.") }
        let task: TaskItem
        do {
            task = try await tasks.setCompleted(try TaskID(parsed.taskID), parsed.completes, for: user)
        } catch let error as TodoError where error.code == .notFound || error.code == .validation {
            throw ActionRefused(message: "That task is not on your list any more.")
        }
        logger.info("chatkit: widget action", metadata: ["todo.task.id": "\(task.id)", "todo.action": "\(parsed.kind.rawValue)"])
        // Every other row is refreshed from the store too, so the saved widget shows the tasks as they are now
        // (changed elsewhere, or by an earlier action on this widget that raced this one); a row whose task is
        // gone keeps its last state.
        var updated = TaskListWidget.replacingRow(in: item, with: WidgetTaskRow(task: task)) ?? item
        for id in TaskListWidget.taskIDs(in: item) where id != parsed.taskID {
            guard let taskID = try? TaskID(id), let current = try? await tasks.task(taskID, for: user) else { continue }
            updated = TaskListWidget.replacingRow(in: updated, with: WidgetTaskRow(task: current)) ?? updated
        }
        guard let stored = Self.storedItem(updated), let threadID = item["thread_id"]?.stringValue else { return item }
        // The widget and a hidden note for the model's next turn, in one durable write.
        let note = parsed.historyNote(id: Self.newID("msg"), threadID: threadID, createdAt: clock.now(), title: task.title, stillOpen: !task.completed)
        try await threads.saveItems([stored] + (Self.storedItem(note).map { [$0] } ?? []), thread: nil, for: user)
        return updated
    }
}
