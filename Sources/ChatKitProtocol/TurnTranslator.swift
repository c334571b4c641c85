public import TodoCore

// MARK: - Outputs

/// What the server must do for one translated responder event, in order.
public enum TurnOutput: Sendable, Hashable {
    /// Stream this ChatKit event.
    case event(JSONValue)
    /// Persist this item (its stored form, which may carry private keys) before streaming what follows.
    case saveItem(id: String, createdAt: Timestamp, payload: JSONValue)
    /// Set the thread's title, save it and stream `thread.updated`.
    case title(String)
    /// Make the items collected so far durable now (the reply is complete; extra work follows).
    case checkpoint
}

/// Mints item ids; the server passes one that generates `prefix_` + random hex.
public typealias ItemIDGenerator = @Sendable (_ prefix: String) -> String

// MARK: - TurnTranslator

/// Turns `ResponderEvent`s into ChatKit events and persistence steps: a pure state machine, tested without I/O.
///
/// Text deltas open an `assistant_message` (added → content_part.added → text_delta* → content_part.done → done).
/// Tool calls become tasks of one `workflow` item (added with the first task, `workflow.task.added` for more,
/// `workflow.task.updated` when each finishes, `done` with a summary when text resumes or the turn ends).
/// Every tool task carries `ChatKitWire.toolBadgeKey` (tool name, call id, running/done/error) for the UI.
/// Reasoning deltas become a `thought` task of the same workflow (opened collapsed when it is the first task),
/// never answer text.
/// Items are persisted when they are done; a cancelled turn saves what was already streamed.
public struct TurnTranslator: Sendable {
    private struct OpenMessage: Sendable { var id: String; var createdAt: Timestamp; var text: String }
    private struct ToolRecord: Sendable { var callID: String; var name: String; var arguments: String; var result: String?; var isError: Bool; var task = 0 }
    private struct OpenWorkflow: Sendable {
        var id: String; var createdAt: Timestamp; var tasks: [JSONValue]; var tools: [ToolRecord]
        /// The streaming thought task: its index, its text, and how much of it was last sent.
        var thought: (index: Int, text: String, sent: Int)?
    }

    /// The thread the turn belongs to.
    public let threadID: String
    private let newID: ItemIDGenerator
    private var message: OpenMessage?
    private var workflow: OpenWorkflow?
    private var pendingTitle: String?
    /// Whether the turn already ended (error or finish); later events are ignored.
    public private(set) var isFinished = false
    /// The assistant text of every message so far (for the legacy `/api/chat` answer).
    public private(set) var fullText = ""
    /// Finished tool calls `(name, arguments, result, isError)` in order (for `/api/chat`).
    public private(set) var toolCalls: [(name: String, arguments: String, result: String, isError: Bool)] = []
    /// The error that ended the turn, if any.
    public private(set) var failure: (message: String, allowRetry: Bool)?

    /// - Parameters:
    ///   - threadID: the thread.
    ///   - newID: the item id generator.
    public init(threadID: String, newID: @escaping ItemIDGenerator) {
        self.threadID = threadID
        self.newID = newID
    }

    // MARK: Events

    /// Translates one responder event.
    /// - Parameters:
    ///   - event: the event.
    ///   - now: the current time (for new items).
    public mutating func apply(_ event: ResponderEvent, now: Timestamp) -> [TurnOutput] {
        guard !isFinished else { return [] }
        var out: [TurnOutput] = []
        switch event {
        case .textDelta(let delta):
            guard !delta.isEmpty else { return [] }
            out += closeWorkflow()
            if message == nil {
                let id = newID("msg")
                message = OpenMessage(id: id, createdAt: now, text: "")
                out.append(.event(ChatKitWire.itemEvent("thread.item.added", item: ChatKitWire.assistantMessage(id: id, threadID: threadID, createdAt: now, text: nil))))
                out.append(.event(ChatKitWire.itemUpdated(id, .obj(["type": "assistant_message.content_part.added", "content_index": 0, "content": ChatKitWire.outputText("")]))))
            }
            message!.text += delta
            fullText += delta
            out.append(.event(ChatKitWire.itemUpdated(message!.id, .obj(["type": "assistant_message.content_part.text_delta", "content_index": 0, "delta": .string(delta)]))))
        case .endMessage:
            out += closeMessage()
        case .toolStarted(let callID, let name, let arguments, let title):
            out += closeMessage()
            let task = ChatKitWire.task(title: title, content: arguments, running: true, tool: (name, callID))
            var record = ToolRecord(callID: callID, name: name, arguments: arguments, result: nil, isError: false)
            if var wf = workflow {
                out += endThought(&wf)
                record.task = wf.tasks.count
                wf.tasks.append(task)
                wf.tools.append(record)
                workflow = wf
                out.append(.event(ChatKitWire.itemUpdated(wf.id, .obj(["type": "workflow.task.added", "task_index": .int(wf.tasks.count - 1), "task": task]))))
            } else {
                let wf = OpenWorkflow(id: newID("wf"), createdAt: now, tasks: [task], tools: [record])
                workflow = wf
                out.append(.event(ChatKitWire.itemEvent("thread.item.added", item: ChatKitWire.workflow(id: wf.id, threadID: threadID, createdAt: now, tasks: wf.tasks, summary: nil, expanded: true))))
            }
        case .toolFinished(let callID, let title, let result, let isError):
            guard var wf = workflow, let index = wf.tools.lastIndex(where: { $0.callID == callID && $0.result == nil }) else { return [] }
            wf.tools[index].result = result
            wf.tools[index].isError = isError
            let task = ChatKitWire.task(
                title: title, content: isError ? "Error: \(result)" : result, running: false, failed: isError, tool: (wf.tools[index].name, callID))
            wf.tasks[wf.tools[index].task] = task
            workflow = wf
            toolCalls.append((wf.tools[index].name, wf.tools[index].arguments, result, isError))
            out.append(.event(ChatKitWire.itemUpdated(wf.id, .obj(["type": "workflow.task.updated", "task_index": .int(wf.tools[index].task), "task": task]))))
        case .title(let title):
            // Like the reference, the title goes out after the turn's items (at the end of the turn).
            pendingTitle = title
        case .error(let message, let allowRetry):
            out += closeAll()
            failure = (message, allowRetry)
            isFinished = true
            out.append(.event(ChatKitWire.error(message: message, allowRetry: allowRetry)))
            out += takeTitle()
        case .reasoningDelta(let delta):
            out += applyReasoning(delta, now: now)
        case .replyFinished:
            out += closeAll()
            out.append(.checkpoint)
        }
        return out
    }

    /// Ends the turn normally: closes any open message or workflow.
    public mutating func finish() -> [TurnOutput] {
        guard !isFinished else { return [] }
        isFinished = true
        return closeAll() + takeTitle()
    }

    /// Ends the turn because the responder threw: closes open items, then a retryable `stream.error` event.
    /// - Parameter message: the text shown to the user.
    public mutating func fail(message: String) -> [TurnOutput] {
        guard !isFinished else { return [] }
        var out = closeAll()
        isFinished = true
        failure = (message, true)
        out.append(.event(ChatKitWire.error(code: "stream.error", message: message, allowRetry: true)))
        return out + takeTitle()
    }

    /// The client went away: only the saves for what was already streamed (no events).
    public mutating func cancel() -> [TurnOutput] {
        guard !isFinished else { return [] }
        isFinished = true
        return closeAll().filter { if case .saveItem = $0 { true } else { false } }
    }

    // MARK: Closing items

    private mutating func takeTitle() -> [TurnOutput] {
        guard let title = pendingTitle else { return [] }
        pendingTitle = nil
        return [.title(title)]
    }

    private mutating func closeAll() -> [TurnOutput] { closeMessage() + closeWorkflow() }

    private mutating func closeMessage() -> [TurnOutput] {
        guard let m = message else { return [] }
        message = nil
        let done = ChatKitWire.assistantMessage(id: m.id, threadID: threadID, createdAt: m.createdAt, text: m.text)
        return [
            .event(ChatKitWire.itemUpdated(m.id, .obj(["type": "assistant_message.content_part.done", "content_index": 0, "content": ChatKitWire.outputText(m.text)]))),
            .saveItem(id: m.id, createdAt: m.createdAt, payload: done),
            .event(ChatKitWire.itemEvent("thread.item.done", item: done)),
        ]
    }

    private mutating func closeWorkflow() -> [TurnOutput] {
        guard var wf = workflow else { return [] }
        workflow = nil
        _ = endThought(&wf)
        let names = wf.tools.map(\.name)
        let unique = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let summary = unique.isEmpty ? JSONValue.obj(["title": "Thought", "icon": "lightbulb"])
            : JSONValue.obj(["title": .string("Called " + unique.joined(separator: ", ")), "icon": "check"])
        // Unfinished calls (cancelled or never answered) are shown as complete with a note.
        var tasks = wf.tasks
        for tool in wf.tools where tool.result == nil {
            let i = tool.task
            tasks[i] = ChatKitWire.task(
                title: tasks[i]["title"]?.stringValue ?? tool.name, content: "No result: the turn ended first.", running: false, failed: true,
                tool: (tool.name, tool.callID))
        }
        let item = ChatKitWire.workflow(id: wf.id, threadID: threadID, createdAt: wf.createdAt, tasks: tasks, summary: summary, expanded: false)
        let tools = JSONValue.array(wf.tools.map { t in
            .obj([
                "call_id": .string(t.callID), "name": .string(t.name), "arguments": .string(t.arguments),
                "result": .string(t.result ?? "No result: the turn ended first."), "is_error": .bool(t.result == nil || t.isError),
            ])
        })
        return [
            .saveItem(id: wf.id, createdAt: wf.createdAt, payload: item.setting(ChatKitWire.toolsKey, tools)),
            .event(ChatKitWire.itemEvent("thread.item.done", item: item)),
        ] + TaskListWidget.outputs(
            tools: wf.tools.map { ($0.name, $0.result, $0.isError) }, threadID: threadID, createdAt: wf.createdAt, newID: newID)
    }
}

// MARK: - Reasoning

extension TurnTranslator {
    /// The model's reasoning becomes a `thought` task of the open workflow (opened collapsed if none): added
    /// with the first delta, updated as it grows (at most every 256 characters: each update carries the whole
    /// text), completed when a tool call or the answer follows. Never part of the answer text.
    private mutating func applyReasoning(_ delta: String, now: Timestamp) -> [TurnOutput] {
        guard !delta.isEmpty else { return [] }
        var out = closeMessage()
        guard var wf = workflow else {
            let task = ChatKitWire.thoughtTask(delta, running: true)
            let wf = OpenWorkflow(id: newID("wf"), createdAt: now, tasks: [task], tools: [], thought: (0, delta, delta.count))
            workflow = wf
            out.append(.event(ChatKitWire.itemEvent("thread.item.added", item: ChatKitWire.workflow(id: wf.id, threadID: threadID, createdAt: now, tasks: wf.tasks, summary: nil, expanded: false))))
            return out
        }
        if var thought = wf.thought {
            thought.text += delta
            if thought.text.count - thought.sent >= 256 {
                thought.sent = thought.text.count
                let task = ChatKitWire.thoughtTask(thought.text, running: true)
                wf.tasks[thought.index] = task
                out.append(.event(ChatKitWire.itemUpdated(wf.id, .obj(["type": "workflow.task.updated", "task_index": .int(thought.index), "task": task]))))
            }
            wf.thought = thought
        } else {
            let task = ChatKitWire.thoughtTask(delta, running: true)
            wf.thought = (wf.tasks.count, delta, delta.count)
            wf.tasks.append(task)
            out.append(.event(ChatKitWire.itemUpdated(wf.id, .obj(["type": "workflow.task.added", "task_index": .int(wf.tasks.count - 1), "task": task]))))
        }
        workflow = wf
        return out
    }

    /// Completes the streaming thought task of `wf`, if any (its whole text, `complete`).
    private func endThought(_ wf: inout OpenWorkflow) -> [TurnOutput] {
        guard let thought = wf.thought else { return [] }
        wf.thought = nil
        let task = ChatKitWire.thoughtTask(thought.text, running: false)
        wf.tasks[thought.index] = task
        return [.event(ChatKitWire.itemUpdated(wf.id, .obj(["type": "workflow.task.updated", "task_index": .int(thought.index), "task": task])))]
    }
}
