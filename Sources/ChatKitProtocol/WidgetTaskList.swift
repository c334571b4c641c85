public import TodoCore

// MARK: - One row

/// What a task-list widget shows of one task: built from a `TaskItem`, or from one entry of the
/// `list_tasks` tool result (the JSON the model sees).
public struct WidgetTaskRow: Sendable, Hashable {
    /// The task's id.
    public var id: String
    /// The title.
    public var title: String
    /// Whether it is done.
    public var completed: Bool
    /// The due date in words ("Monday 1 December 2026"), when it has one.
    public var dueText: String?
    /// 1 (highest) to 4, when set.
    public var priority: Int?
    /// Whether it repeats (completing it moves it to its next occurrence).
    public var recurring: Bool

    /// - Parameters:
    ///   - id: the task id.
    ///   - title: the title.
    ///   - completed: whether it is done.
    ///   - dueText: the due date in words.
    ///   - priority: 1 to 4.
    ///   - recurring: whether it repeats.
    public init(id: String, title: String, completed: Bool, dueText: String? = nil, priority: Int? = nil, recurring: Bool = false) {
        self.id = id
        self.title = title
        self.completed = completed
        self.dueText = dueText
        self.priority = priority
        self.recurring = recurring
    }

    /// The row of a stored task.
    /// - Parameter task: the task.
    public init(task: TaskItem) {
        self.init(id: task.id.rawValue, title: task.title, completed: task.completed, dueText: task.due.map(DueText.absolute),
                  priority: task.priority, recurring: task.recurrence != nil)
    }

    /// The row of one `tasks` entry of a `list_tasks` result (`task_id`, `title`, `completed`, `due_text`,
    /// `priority`, `recurrence`); nil without an id or a title.
    /// - Parameter entry: the entry.
    public init?(toolEntry entry: JSONValue) {
        guard let id = entry["task_id"]?.stringValue ?? entry["id"]?.stringValue, let title = entry["title"]?.stringValue else { return nil }
        let completed = entry["completed"]?.boolValue ?? (entry["status"]?.stringValue == "completed")
        self.init(id: id, title: title, completed: completed, dueText: entry["due_text"]?.stringValue ?? entry["due"]?.stringValue,
                  priority: entry["priority"]?.intValue, recurring: entry["recurrence"].map { !$0.isNull } ?? false)
    }
}

// MARK: - The widget

/// The ChatKit widget a `list_tasks` call leaves in the conversation: a `ListView` (one of ChatKit's
/// documented widget roots) with a header (`status`) and one `ListViewItem` per task: a done `Checkbox`
/// whose change sends the server action `todod.task.complete` / `todod.task.reopen`, the title (`Text`,
/// struck through when done), the due date (`Caption`), a priority `Badge`, and an "Open" `Button` (client
/// action `todod.task.open`). More than `maxRows` tasks end in a "Show all" row (client action
/// `todod.tasks.show_all`). Only documented components and props are used (openai-chatkit's strict models
/// validate it; see Tests/Interop/chatkit/test_widget_events.py).
public enum TaskListWidget {
    /// The tool whose result becomes a widget.
    public static let toolName = "list_tasks"
    /// Rows shown at most; the rest is behind "Show all".
    public static let maxRows = 20
    /// The `id` prefix of a task's `ListViewItem` (the task id follows).
    public static let rowPrefix = "task-"

    /// The rows of a successful `list_tasks` result text (its JSON `tasks` array), or nil when the text is not such a result.
    /// - Parameter text: the tool's result text.
    public static func rows(fromListResult text: String) -> [WidgetTaskRow]? {
        guard let root = try? JSONValue.parse(Array(text.utf8)), let tasks = root["tasks"]?.arrayValue else { return nil }
        return tasks.compactMap(WidgetTaskRow.init(toolEntry:))
    }

    /// A `widget` thread item showing `rows`.
    /// - Parameters:
    ///   - id: the item id (`msg_…`, as ChatKit's `stream_widget` names widget items).
    ///   - threadID: its thread.
    ///   - createdAt: creation time.
    ///   - rows: the tasks, in the order listed.
    public static func item(id: String, threadID: String, createdAt: Timestamp, rows: [WidgetTaskRow]) -> JSONValue {
        .obj([
            "id": .string(id), "thread_id": .string(threadID), "created_at": .string(createdAt.rfc3339), "type": "widget",
            "widget": widget(rows: rows), "copy_text": .string(copyText(rows)),
        ])
    }

    /// The widget root for `rows`.
    /// - Parameter rows: the tasks.
    public static func widget(rows: [WidgetTaskRow]) -> JSONValue {
        var children = rows.prefix(maxRows).map(row)
        if rows.count > maxRows { children.append(showAllRow(hidden: rows.count - maxRows)) }
        return .obj(["type": "ListView", "children": .array(children), "status": status(done: rows.map(\.completed))])
    }

    /// One task's `ListViewItem` (`id` = `rowPrefix` + task id).
    /// - Parameter task: the row.
    public static func row(_ task: WidgetTaskRow) -> JSONValue {
        let toggle = TaskWidgetAction(kind: task.completed ? .reopen : .complete, taskID: task.id)
        var details: [JSONValue] = []
        if let due = task.dueText { details.append(.obj(["type": "Caption", "value": .string((task.recurring ? "Repeats, due " : "Due ") + due), "size": "sm"])) }
        let text = JSONValue.obj([
            "type": "Col", "gap": 0, "flex": 1,
            "children": .array([.obj([
                "type": "Text", "id": .string("title-\(task.id)"), "value": .string(task.title), "lineThrough": task.completed ? true : nil,
                "color": task.completed ? "secondary" : nil, "size": "sm", "weight": "medium",
            ])] + details),
        ])
        var parts: [JSONValue] = [
            .obj([
                "type": "Checkbox", "id": .string("done-\(task.id)"), "name": .string("done.\(task.id)"),
                "label": .string(task.completed ? "Done" : "Mark done"), "defaultChecked": .bool(task.completed),
                "onChangeAction": toggle.config,
            ]),
            text,
        ]
        if let p = task.priority {
            parts.append(.obj(["type": "Badge", "label": .string("P\(p)"), "color": p == 1 ? "danger" : p == 2 ? "warning" : p == 3 ? "info" : "secondary", "size": "sm"]))
        }
        parts.append(.obj([
            "type": "Button", "label": "Open", "size": "sm", "variant": "ghost",
            "onClickAction": .obj(["type": .string(TaskWidgetAction.openType), "payload": .obj(["task_id": .string(task.id)]), "handler": "client"]),
        ]))
        return .obj(["type": "ListViewItem", "id": .string(rowPrefix + task.id), "gap": 2, "align": "center", "children": .array(parts)])
    }

    /// The header: "3 tasks", "3 tasks, 1 open" or "3 tasks, all done".
    private static func status(done: [Bool]) -> JSONValue {
        let open = done.filter { !$0 }.count
        let header = done.count == 1 ? "1 task" : "\(done.count) tasks"
        let text = open == done.count ? header : open == 0 ? "\(header), all done" : "\(header), \(open) open"
        return .obj(["text": .string(text), "icon": "check-circle"])
    }

    private static func showAllRow(hidden: Int) -> JSONValue {
        .obj([
            "type": "ListViewItem", "id": "show-all",
            "children": .array([.obj([
                "type": "Button", "label": .string("Show all (\(hidden) more)"), "size": "sm", "variant": "outline",
                "onClickAction": .obj(["type": .string(TaskWidgetAction.showAllType), "handler": "client"]),
            ])]),
        ])
    }

    /// Plain text of the list (ChatKit's copy button copies it).
    /// - Parameter rows: the tasks.
    public static func copyText(_ rows: [WidgetTaskRow]) -> String {
        rows.map { "- [\($0.completed ? "x" : " ")] \($0.title)" + ($0.dueText.map { " (due \($0))" } ?? "") }.joined(separator: "\n")
    }

    // MARK: Reading a stored widget

    /// The task ids a widget item shows (its rows' ids), in order.
    /// - Parameter item: a stored or sent `widget` item.
    public static func taskIDs(in item: JSONValue) -> [String] {
        (item["widget"]?["children"]?.arrayValue ?? []).compactMap { row in
            guard let id = row["id"]?.stringValue, id.hasPrefix(rowPrefix) else { return nil }
            return String(id.dropFirst(rowPrefix.count))
        }
    }

    /// The item with the row of `task.id` rebuilt from `task` (and the header recounted), or nil when the item
    /// has no such row.
    /// - Parameters:
    ///   - item: the widget item.
    ///   - task: the task's new state.
    public static func replacingRow(in item: JSONValue, with task: WidgetTaskRow) -> JSONValue? {
        guard let root = item["widget"], var children = root["children"]?.arrayValue,
            let index = children.firstIndex(where: { $0["id"]?.stringValue == rowPrefix + task.id }) else { return nil }
        children[index] = row(task)
        var updated = root.setting("children", .array(children))
        let states = children.compactMap { child -> Bool? in
            guard child["id"]?.stringValue?.hasPrefix(rowPrefix) == true else { return nil }
            return child["children"]?.arrayValue?.first?["defaultChecked"]?.boolValue
        }
        if states.count == children.count { updated = updated.setting("status", status(done: states)) }
        var copyRows: [String] = (item["copy_text"]?.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if index < copyRows.count {
            copyRows[index] = copyText([task])
        }
        return item.setting("widget", updated).setting("copy_text", .string(copyRows.joined(separator: "\n")))
    }
}

// MARK: - In a turn

extension TaskListWidget {
    /// What a finished workflow adds after its `thread.item.done`: the widget of its last successful
    /// `list_tasks` call that listed at least one task (saved, then sent as one `thread.item.done`, as
    /// ChatKit's `stream_widget` sends a plain widget), or nothing.
    /// - Parameters:
    ///   - tools: the workflow's calls in order (`result` nil when unanswered).
    ///   - threadID: the thread.
    ///   - createdAt: the item's creation time.
    ///   - newID: the turn's item id generator.
    public static func outputs(tools: [(name: String, result: String?, isError: Bool)], threadID: String, createdAt: Timestamp,
                               newID: ItemIDGenerator) -> [TurnOutput] {
        guard let call = tools.last(where: { $0.name == toolName && !$0.isError && $0.result != nil }),
            let rows = rows(fromListResult: call.result!), !rows.isEmpty else { return [] }
        let widget = item(id: newID("msg"), threadID: threadID, createdAt: createdAt, rows: rows)
        return [.saveItem(id: widget["id"]!.stringValue!, createdAt: createdAt, payload: widget), .event(ChatKitWire.itemEvent("thread.item.done", item: widget))]
    }
}
