import Testing
import ChatKitProtocol
import TodoCore

// MARK: - TurnTranslator (no I/O)

@Suite("TurnTranslator")
struct TurnTranslatorTests {
    static func make() -> TurnTranslator {
        final class Counter: @unchecked Sendable { var n = 0 }
        let counter = Counter()
        return TurnTranslator(threadID: "thr_1") { prefix in counter.n += 1; return "\(prefix)_\(counter.n)" }
    }

    static func events(_ outputs: [TurnOutput]) -> [JSONValue] {
        outputs.compactMap { if case .event(let e) = $0 { e } else { nil } }
    }

    @Test("The 'add buy milk' script yields the reference's workflow and message events (capture 02 shape)")
    func addTaskScript() throws {
        var t = Self.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        var out: [TurnOutput] = []
        out += t.apply(.toolStarted(callID: "c", name: "add_task", arguments: #"{"title": "buy milk"}"#, title: "add_task"), now: now)
        out += t.apply(.toolFinished(callID: "c", title: "add_task", result: #"{"title": "buy milk"}"#, isError: false), now: now)
        for piece in ["Added task \"b", "uy milk\" to y", "our list. Any", "thing else?"] { out += t.apply(.textDelta(piece), now: now) }
        out += t.apply(.title("add buy milk"), now: now)
        out += t.finish()
        let types = Self.events(out).map { $0["type"]?.stringValue ?? "" }
        #expect(types == ["thread.item.added", "thread.item.updated", "thread.item.done", "thread.item.added", "thread.item.updated",
                          "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.done"])
        #expect(out.last == .title("add buy milk"), "the title comes after the turn's items")
        let saves = out.compactMap { if case .saveItem(let id, _, _) = $0 { id } else { nil } }
        #expect(saves == ["wf_1", "msg_2"], "items are saved when done, before their done event")
        #expect(Self.events(out)[2]["item"]?["workflow"]?["summary"] == .obj(["title": "Called add_task", "icon": "check"]))
        #expect(t.fullText == "Added task \"buy milk\" to your list. Anything else?")
    }

    @Test("A finished reply closes its message and checkpoints before the title, which still comes last")
    func replyFinishedCheckpoints() throws {
        var t = Self.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        var out = t.apply(.textDelta("Hello"), now: now)
        out += t.apply(.replyFinished, now: now)
        let types = Self.events(out).map { $0["type"]?.stringValue ?? "" }
        #expect(types.last == "thread.item.done", "the message is done before any title work")
        guard out.count >= 2, case .saveItem(let id, _, _) = out[out.count - 3], out.last == .checkpoint else {
            Issue.record("expected saveItem, done, checkpoint at the end: \(out)")
            return
        }
        #expect(id == "msg_1")
        out = t.apply(.title("Hello"), now: now)
        out += t.finish()
        #expect(out == [.title("Hello")], "nothing is closed or saved twice")
    }

    @Test("Every tool task carries its tool name and state (running → done / error) whatever its title says")
    func toolBadges() throws {
        var t = Self.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        let key = ChatKitWire.toolBadgeKey
        var out = t.apply(.toolStarted(callID: "c1", name: "add_task", arguments: "{}", title: "Aufgabe wird angelegt"), now: now)
        #expect(Self.events(out)[0]["item"]?["workflow"]?["tasks"]?.arrayValue?.first?[key] == .obj(["name": "add_task", "call_id": "c1", "state": "running"]))
        out = t.apply(.toolStarted(callID: "c2", name: "list_tasks", arguments: "{}", title: "Could not add task"), now: now)
        #expect(Self.events(out)[0]["update"]?["task"]?[key]?["state"] == "running")
        out = t.apply(.toolFinished(callID: "c1", title: "Erledigt", result: "{}", isError: false), now: now)
        #expect(Self.events(out)[0]["update"]?["task"]?[key] == .obj(["name": "add_task", "call_id": "c1", "state": "done"]))
        _ = t.apply(.toolStarted(callID: "c3", name: "delete_task", arguments: "{}", title: "Deleted task"), now: now)
        out = t.apply(.toolFinished(callID: "c2", title: "Listed 3 tasks", result: "boom", isError: true), now: now)
        #expect(Self.events(out)[0]["update"]?["task"]?[key]?["state"] == "error")
        out = t.finish()
        let tasks = try #require(Self.events(out).last?["item"]?["workflow"]?["tasks"]?.arrayValue)
        #expect(tasks.map { $0[key]?["name"]?.stringValue } == ["add_task", "list_tasks", "delete_task"])
        #expect(tasks.map { $0[key]?["state"]?.stringValue } == ["done", "error", "error"], "an unanswered call ends as an error")
    }

    @Test("A workflow stored before tool badges gets them from its private tool records when sent")
    func legacyWorkflowGetsBadges() throws {
        let created = Timestamp(millisecondsSinceEpoch: 0)
        let legacyTask = JSONValue.obj(["status_indicator": "complete", "type": "custom", "title": "Added task 'X'", "content": "{}"])
        let stored = ChatKitWire.workflow(id: "wf_1", threadID: "thr_1", createdAt: created, tasks: [legacyTask, legacyTask], summary: nil, expanded: false)
            .setting(ChatKitWire.toolsKey, .array([
                .obj(["call_id": "c1", "name": "add_task", "arguments": "{}", "result": "{}", "is_error": false]),
                .obj(["call_id": "c2", "name": "complete_task", "arguments": "{}", "result": "no", "is_error": true]),
            ]))
        let sent = try #require(ChatKitWire.clientItem(stored))
        #expect(sent[ChatKitWire.toolsKey] == nil)
        let tasks = try #require(sent["workflow"]?["tasks"]?.arrayValue)
        #expect(tasks.map { $0[ChatKitWire.toolBadgeKey] } == [
            .obj(["name": "add_task", "call_id": "c1", "state": "done"]), .obj(["name": "complete_task", "call_id": "c2", "state": "error"]),
        ])
        #expect(tasks[0]["title"]?.stringValue == "Added task 'X'")
    }

    @Test("Cancel saves the partial message silently; error closes items then reports; later events are ignored")
    func cancelAndError() {
        var t = Self.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        _ = t.apply(.toolStarted(callID: "c", name: "list_tasks", arguments: "{}", title: "Listing"), now: now)
        _ = t.apply(.textDelta("word0 "), now: now)
        let cancelled = t.cancel()
        #expect(Self.events(cancelled).isEmpty)
        guard case .saveItem(let id, _, let payload) = cancelled.first, cancelled.count == 1 else { Issue.record("\(cancelled)"); return }
        #expect(id == "msg_2")
        #expect(payload["content"]?.arrayValue?.first?["text"]?.stringValue == "word0 ")
        #expect(t.apply(.textDelta("late"), now: now).isEmpty)

        var e = Self.make()
        _ = e.apply(.textDelta("partial"), now: now)
        let out = e.apply(.error(message: "down", allowRetry: true), now: now)
        #expect(Self.events(out).last == .obj(["type": "error", "code": "custom", "message": "down", "allow_retry": true]))
        #expect(Self.events(out).dropLast().last?["type"]?.stringValue == "thread.item.done")
        #expect(e.isFinished)
    }

    @Test("History is rebuilt from stored items, tool calls included")
    func history() throws {
        var t = Self.make()
        let now = Timestamp(millisecondsSinceEpoch: 0)
        var out = t.apply(.toolStarted(callID: "c1", name: "add_task", arguments: #"{"title":"x"}"#, title: "Adding"), now: now)
        out += t.apply(.toolFinished(callID: "c1", title: "Added", result: "ok", isError: false), now: now)
        out += t.apply(.textDelta("Done"), now: now)
        out += t.finish()
        let stored = out.compactMap { if case .saveItem(_, _, let payload) = $0 { payload } else { nil } }
        let user = JSONValue.obj(["type": "user_message", "content": .array([.obj(["type": "input_text", "text": "add x"])])])
        #expect(ConversationHistory.entries(from: [user] + stored) == [
            .user("add x"), .tool(callID: "c1", name: "add_task", arguments: #"{"title":"x"}"#, result: "ok", isError: false), .assistant("Done"),
        ])
    }
}
