import Testing
import ChatKitProtocol
import TodoCore

// MARK: - The task-list widget (no I/O)

@Suite("Task-list widget")
struct WidgetTaskListTests {
    static let listResult = #"{"count":2,"tasks":[{"completed":false,"created_at":"2026-01-01T00:00:00Z","due":"2026-01-02","due_text":"Friday 2 January 2026","priority":1,"status":"pending","task_id":"t_a","title":"Buy milk"},{"completed":true,"created_at":"2026-01-01T00:00:00Z","status":"completed","task_id":"t_b","title":"Call mum"}],"time_zone":"UTC","today":"2026-01-01"}"#

    static func types(_ outputs: [TurnOutput]) -> [String] {
        outputs.map { output in
            switch output {
            case .event(let e): "\(e["type"]?.stringValue ?? "?"):\(e["item"]?["type"]?.stringValue ?? "")"
            case .saveItem(let id, _, _): "save:\(id)"
            case .title: "title"
            case .checkpoint: "checkpoint"
            }
        }
    }

    @Test("A list_tasks result leaves a widget after the workflow and before the answer text; it is saved before it is sent")
    func widgetInTurn() throws {
        var t = TurnTranslatorTests.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        var out = t.apply(.toolStarted(callID: "c1", name: "list_tasks", arguments: "{}", title: "Listing"), now: now)
        out += t.apply(.toolFinished(callID: "c1", title: "Listed 2 tasks", result: Self.listResult, isError: false), now: now)
        out += t.apply(.textDelta("Here they are."), now: now)
        out += t.finish()
        let types = Self.types(out)
        #expect(Array(types.prefix(6)) == ["thread.item.added:workflow", "thread.item.updated:", "save:wf_1", "thread.item.done:workflow", "save:msg_2", "thread.item.done:widget"])
        let widget = try #require(TurnTranslatorTests.events(out).first { $0["item"]?["type"]?.stringValue == "widget" }?["item"])
        #expect(widget["thread_id"] == "thr_1")
        #expect(TaskListWidget.taskIDs(in: widget) == ["t_a", "t_b"])
        let root = try #require(widget["widget"])
        #expect(root["type"] == "ListView")
        let first = try #require(root["children"]?.arrayValue?.first?["children"]?.arrayValue)
        #expect(first.map { $0["type"]?.stringValue ?? "" } == ["Checkbox", "Col", "Badge", "Button"])
        #expect(first[0]["defaultChecked"] == false)
        #expect(first[0]["onChangeAction"]?["type"] == "todod.task.complete")
        #expect(first[0]["onChangeAction"]?["payload"]?["task_id"] == "t_a")
        #expect(first[2]["label"] == "P1")
        let second = try #require(root["children"]?.arrayValue?.last?["children"]?.arrayValue)
        #expect(second[0]["onChangeAction"]?["type"] == "todod.task.reopen", "a done task's toggle reopens it")
        #expect(root["status"]?["text"] == "2 tasks, 1 open")
        #expect(widget["copy_text"] == "- [ ] Buy milk (due Friday 2 January 2026)\n- [x] Call mum")
    }

    @Test("No widget for a failed, empty or non-JSON list result, nor for other tools")
    func noWidget() {
        let now = Timestamp(millisecondsSinceEpoch: 0)
        for (name, result, isError) in [("list_tasks", "boom", true), ("list_tasks", #"{"count":0,"tasks":[]}"#, false),
                                        ("list_tasks", "You have two tasks", false), ("add_task", Self.listResult, false)] {
            var t = TurnTranslatorTests.make()
            var out = t.apply(.toolStarted(callID: "c", name: name, arguments: "{}", title: "x"), now: now)
            out += t.apply(.toolFinished(callID: "c", title: "x", result: result, isError: isError), now: now)
            out += t.finish()
            #expect(!Self.types(out).contains("thread.item.done:widget"), "\(name) \(result)")
        }
    }

    @Test("A cancelled turn still saves the widget of a finished list (no events)")
    func cancelled() {
        var t = TurnTranslatorTests.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        _ = t.apply(.toolStarted(callID: "c", name: "list_tasks", arguments: "{}", title: "x"), now: now)
        _ = t.apply(.toolFinished(callID: "c", title: "x", result: Self.listResult, isError: false), now: now)
        #expect(Self.types(t.cancel()) == ["save:wf_1", "save:msg_2"])
    }

    @Test("Replacing a row flips its checkbox, action and header; other rows stay as they were")
    func replaceRow() throws {
        let rows = try #require(TaskListWidget.rows(fromListResult: Self.listResult))
        let item = TaskListWidget.item(id: "msg_w", threadID: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 0), rows: rows)
        var done = rows[0]
        done.completed = true
        let updated = try #require(TaskListWidget.replacingRow(in: item, with: done))
        let children = try #require(updated["widget"]?["children"]?.arrayValue)
        #expect(children[0]["children"]?.arrayValue?.first?["defaultChecked"] == true)
        #expect(children[0]["children"]?.arrayValue?.first?["onChangeAction"]?["type"] == "todod.task.reopen")
        #expect(children[1] == item["widget"]?["children"]?.arrayValue?[1])
        #expect(updated["widget"]?["status"]?["text"] == "2 tasks, all done")
        #expect(updated["id"] == "msg_w")
        #expect(updated["copy_text"]?.stringValue?.hasPrefix("- [x] Buy milk") == true)
        #expect(TaskListWidget.replacingRow(in: item, with: WidgetTaskRow(id: "t_other", title: "x", completed: true)) == nil)
    }

    @Test("More than the row limit ends in a Show all row")
    func showAll() {
        let rows = (0..<25).map { WidgetTaskRow(id: "t_\($0)", title: "Task \($0)", completed: false) }
        let children = TaskListWidget.widget(rows: rows)["children"]?.arrayValue ?? []
        #expect(children.count == TaskListWidget.maxRows + 1)
        #expect(children.last?["children"]?.arrayValue?.first?["onClickAction"]?["type"] == "todod.tasks.show_all")
        #expect(TaskListWidget.taskIDs(in: .obj(["widget": TaskListWidget.widget(rows: rows)])).count == TaskListWidget.maxRows)
    }

    @Test("Actions: complete / reopen with a task id; anything else is a 400 naming the field")
    func actions() throws {
        let complete = try TaskWidgetAction(action: .obj(["type": "todod.task.complete", "payload": .obj(["task_id": "t_a"])]))
        #expect(complete == TaskWidgetAction(kind: .complete, taskID: "t_a"))
        #expect(complete.completes)
        #expect(try TaskWidgetAction(action: .obj(["type": "todod.task.reopen", "payload": .obj(["task_id": "t_a"])])).completes == false)
        #expect(throws: ChatKitError.self) { try TaskWidgetAction(action: .obj(["type": "todod.task.delete", "payload": .obj(["task_id": "t_a"])])) }
        #expect(throws: ChatKitError.self) { try TaskWidgetAction(action: .obj(["type": "todod.task.complete"])) }
        #expect(throws: ChatKitError.self) { try TaskWidgetAction(action: .obj(["type": "todod.task.complete", "payload": .obj(["task_id": 7])])) }
    }

    @Test("A widget action's hidden note reaches the model's history as the user's words; other hidden items do not")
    func historyNote() {
        let action = TaskWidgetAction(kind: .complete, taskID: "t_a")
        let note = action.historyNote(id: "msg_n", threadID: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 0), title: "Buy milk", stillOpen: false)
        #expect(ChatKitWire.clientItem(note) == nil, "never sent to a client")
        let entries = ConversationHistory.entries(from: [
            .obj(["type": "hidden_context_item", "content": "something else"]), note,
        ])
        #expect(entries == [.user("(I marked the task 'Buy milk' (task_id t_a) done in the task list.)")])
    }
}
