public import TodoCore

// MARK: - Wire builders

/// Builders for the JSON the reference sends: threads, items, pages and stream events,
/// with fields in model order and nulls omitted.
public enum ChatKitWire {
    /// The key under which todod keeps tool-call details inside a stored workflow item (never sent).
    public static let toolsKey = "x_tools"

    /// The key of the machine-readable tool badge on a workflow task: `{"name", "call_id", "state"}`, where
    /// `state` is `running`, `done` or `error`. ChatKit's `custom` task has no such field; its models ignore
    /// unknown keys, so clients that do not know it are unaffected. The UI reads the tool and its state from
    /// here, never from the (human, translatable) title.
    public static let toolBadgeKey = "todod_tool"

    /// Item types that are stored but never sent to a client.
    public static let hiddenTypes: Set<String> = ["hidden_context_item", "sdk_hidden_context"]

    // MARK: Threads

    /// The stored payload of a thread's metadata.
    /// - Parameters:
    ///   - title: the title, if any.
    ///   - status: `{"type":"active"}` etc.
    public static func threadPayload(title: String?, status: JSONValue = .obj(["type": "active"])) -> JSONValue {
        .obj(["title": title.map { .string($0) }, "status": status])
    }

    /// A `Thread` as the client sees it (metadata always `{}`).
    /// - Parameters:
    ///   - id: thread id.
    ///   - createdAt: creation time.
    ///   - payload: the stored metadata payload.
    ///   - items: the embedded page (empty for lists, updates and events).
    public static func thread(id: String, createdAt: Timestamp, payload: JSONValue, items: JSONValue = emptyPage) -> JSONValue {
        .obj([
            "title": payload["title"].flatMap { $0.stringValue.map { .string($0) } },
            "id": .string(id),
            "created_at": .string(createdAt.rfc3339),
            "status": payload["status"] ?? .obj(["type": "active"]),
            "metadata": .object([]),
            "items": items,
        ])
    }

    /// `{"data":[],"has_more":false}`.
    public static let emptyPage = JSONValue.obj(["data": .array([]), "has_more": false])

    /// A page: `after` only when `has_more` (the reference store returns null otherwise).
    /// - Parameters:
    ///   - data: the entries.
    ///   - hasMore: whether more follow.
    ///   - after: the cursor of the last entry.
    public static func page(_ data: [JSONValue], hasMore: Bool, after: String?) -> JSONValue {
        .obj(["data": .array(data), "has_more": .bool(hasMore), "after": hasMore ? after.map { .string($0) } : nil])
    }

    // MARK: Items

    /// The client form of a stored item: the payload minus todod's private keys, or nil for hidden items.
    /// - Parameter stored: the stored payload.
    /// Workflows stored before tasks carried `toolBadgeKey` get it from the private tool records.
    /// - Parameter stored: the stored payload.
    public static func clientItem(_ stored: JSONValue) -> JSONValue? {
        guard let type = stored["type"]?.stringValue, !hiddenTypes.contains(type) else { return nil }
        guard case .object(let fields) = stored, fields.contains(where: { $0.0 == toolsKey }) else { return stored }
        let item = JSONValue.object(fields.filter { $0.0 != toolsKey })
        return withToolBadges(item, tools: stored[toolsKey]?.arrayValue ?? [])
    }

    /// Adds `toolBadgeKey` to the tasks of a workflow item that lack it, from the stored tool records (same order).
    private static func withToolBadges(_ item: JSONValue, tools: [JSONValue]) -> JSONValue {
        // Tool tasks are the `custom` ones, in the order of the records (`thought` tasks have no badge).
        guard let workflow = item["workflow"], let tasks = workflow["tasks"]?.arrayValue,
            tasks.contains(where: { $0[toolBadgeKey] == nil && $0["type"]?.stringValue == "custom" }) else { return item }
        var ordinal = -1
        let upgraded = tasks.map { task -> JSONValue in
            guard task["type"]?.stringValue == "custom" else { return task }
            ordinal += 1
            let index = ordinal
            guard task[toolBadgeKey] == nil, index < tools.count, let name = tools[index]["name"]?.stringValue else { return task }
            let failed = tools[index]["is_error"]?.boolValue ?? false
            return task.setting(toolBadgeKey, toolBadge(name: name, callID: tools[index]["call_id"]?.stringValue, state: failed ? .error : .done))
        }
        return item.setting("workflow", workflow.setting("tasks", .array(upgraded)))
    }

    /// A `user_message` item.
    /// - Parameters:
    ///   - id: item id (`msg_…`).
    ///   - threadID: its thread.
    ///   - createdAt: creation time.
    ///   - input: the validated input.
    public static func userMessage(id: String, threadID: String, createdAt: Timestamp, input: UserMessageInput) -> JSONValue {
        .obj([
            "id": .string(id), "thread_id": .string(threadID), "created_at": .string(createdAt.rfc3339), "type": "user_message",
            "content": .array(input.content), "attachments": .array([]), "quoted_text": input.quotedText.map { .string($0) },
            "inference_options": input.inferenceOptions,
        ])
    }

    /// An `assistant_message` item with one `output_text` part (or none when `text` is nil).
    /// - Parameters:
    ///   - id: item id.
    ///   - threadID: its thread.
    ///   - createdAt: creation time.
    ///   - text: the full text, or nil for the empty `added` form.
    public static func assistantMessage(id: String, threadID: String, createdAt: Timestamp, text: String?) -> JSONValue {
        .obj([
            "id": .string(id), "thread_id": .string(threadID), "created_at": .string(createdAt.rfc3339), "type": "assistant_message",
            "content": .array(text.map { [outputText($0)] } ?? []),
        ])
    }

    /// `{"annotations":[],"text":…,"type":"output_text"}`.
    /// - Parameter text: the text.
    public static func outputText(_ text: String) -> JSONValue {
        .obj(["annotations": .array([]), "text": .string(text), "type": "output_text"])
    }

    /// A `workflow` item of type `custom`.
    /// - Parameters:
    ///   - id: item id (`wf_…`).
    ///   - threadID: its thread.
    ///   - createdAt: creation time.
    ///   - tasks: the tasks.
    ///   - summary: `{title, icon?}` once done.
    ///   - expanded: whether the client shows it open.
    public static func workflow(id: String, threadID: String, createdAt: Timestamp, tasks: [JSONValue], summary: JSONValue?, expanded: Bool) -> JSONValue {
        .obj([
            "id": .string(id), "thread_id": .string(threadID), "created_at": .string(createdAt.rfc3339), "type": "workflow",
            "workflow": .obj(["type": "custom", "tasks": .array(tasks), "summary": summary, "expanded": .bool(expanded)]),
        ])
    }

    /// The state a tool badge shows.
    public enum ToolState: String, Sendable {
        /// The call is in flight.
        case running
        /// The call returned a result.
        case done
        /// The call failed (or never returned before the turn ended).
        case error
    }

    /// The machine-readable badge of a tool task (the value of `toolBadgeKey`).
    /// - Parameters:
    ///   - name: the tool's name (`add_task`, …), as the model called it.
    ///   - callID: the model's call id, when known.
    ///   - state: running, done or error.
    public static func toolBadge(name: String, callID: String?, state: ToolState) -> JSONValue {
        .obj(["name": .string(name), "call_id": callID.map { .string($0) }, "state": .string(state.rawValue)])
    }

    /// A `custom` workflow task.
    /// - Parameters:
    ///   - title: the task title (for people; may change wording or language).
    ///   - content: the body (arguments while running, the result when done).
    ///   - running: `loading` vs `complete`.
    ///   - failed: whether the tool call failed.
    ///   - tool: the tool's name and call id; adds the machine-readable `toolBadgeKey`.
    public static func task(title: String, content: String, running: Bool, failed: Bool = false, tool: (name: String, callID: String)? = nil) -> JSONValue {
        let state: ToolState = running ? .running : failed ? .error : .done
        return .obj([
            "status_indicator": running ? "loading" : "complete", "type": "custom", "title": .string(title),
            "icon": failed ? nil : "check", "content": .string(content),
            toolBadgeKey: tool.map { toolBadge(name: $0.name, callID: $0.callID, state: state) },
        ])
    }

    /// A `thought` workflow task: the model's reasoning (ChatKit's `ThoughtTask`).
    /// - Parameters:
    ///   - content: the reasoning text so far.
    ///   - running: `loading` while it streams, `complete` after.
    public static func thoughtTask(_ content: String, running: Bool) -> JSONValue {
        .obj(["status_indicator": running ? "loading" : "complete", "type": "thought", "title": running ? "Thinking…" : "Thought",
              "content": .string(content)])
    }

    // MARK: Events

    /// `{"type":"stream_options","stream_options":{"allow_cancel":true}}`.
    public static let streamOptions = JSONValue.obj(["type": "stream_options", "stream_options": .obj(["allow_cancel": true])])

    /// `thread.created` / `thread.updated`.
    /// - Parameters:
    ///   - type: the event type.
    ///   - thread: the thread (empty items page).
    public static func threadEvent(_ type: String, thread: JSONValue) -> JSONValue { .obj(["type": .string(type), "thread": thread]) }

    /// `thread.item.added` / `thread.item.done` / `thread.item.replaced`.
    /// - Parameters:
    ///   - type: the event type.
    ///   - item: the item.
    public static func itemEvent(_ type: String, item: JSONValue) -> JSONValue { .obj(["type": .string(type), "item": item]) }

    /// `thread.item.updated`.
    /// - Parameters:
    ///   - itemID: the item.
    ///   - update: the update payload (tagged by `type`).
    public static func itemUpdated(_ itemID: String, _ update: JSONValue) -> JSONValue {
        .obj(["type": "thread.item.updated", "item_id": .string(itemID), "update": update])
    }

    /// `thread.item.removed`.
    /// - Parameter itemID: the removed item.
    public static func itemRemoved(_ itemID: String) -> JSONValue { .obj(["type": "thread.item.removed", "item_id": .string(itemID)]) }

    /// An in-band `error` event.
    /// - Parameters:
    ///   - code: `custom` or `stream.error`.
    ///   - message: shown to the user.
    ///   - allowRetry: whether the client offers a retry.
    public static func error(code: String = "custom", message: String?, allowRetry: Bool) -> JSONValue {
        .obj(["type": "error", "code": .string(code), "message": message.map { .string($0) }, "allow_retry": .bool(allowRetry)])
    }

    /// One SSE frame: `data: <compact json>\n\n` (through `SSEFrame`, the one SSE writer).
    /// - Parameter event: the event.
    public static func sseFrame(_ event: JSONValue) -> [UInt8] {
        if let frame = textDeltaFrame(event) { return frame }
        return SSEFrame.frame { event.write(to: &$0) }
    }
}
