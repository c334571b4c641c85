import Testing
import ChatKitProtocol
import TodoCore

// MARK: - TurnTranslator: reasoning as a thought task (no I/O)

@Suite("TurnTranslator: reasoning")
struct TurnTranslatorReasoningTests {
    let now = Timestamp(millisecondsSinceEpoch: 0)

    @Test("Reasoning, two tool calls, then text: one workflow [thought, tool, tool] with tool indexes past the thought")
    func thoughtThenTools() throws {
        var t = TurnTranslatorTests.make()
        var out: [TurnOutput] = []
        out += t.apply(.reasoningDelta("Two tasks"), now: now)
        out += t.apply(.reasoningDelta(" to add."), now: now)
        out += t.apply(.toolStarted(callID: "a", name: "add_task", arguments: "{}", title: "Adding task"), now: now)
        out += t.apply(.toolStarted(callID: "b", name: "add_task", arguments: "{}", title: "Adding task"), now: now)
        out += t.apply(.toolFinished(callID: "b", title: "Added task 'B'", result: "ok", isError: false), now: now)
        out += t.apply(.toolFinished(callID: "a", title: "Added task 'A'", result: "ok", isError: false), now: now)
        out += t.apply(.textDelta("Done."), now: now)
        out += t.finish()
        let events = TurnTranslatorTests.events(out)
        let added = try #require(events.first)
        #expect(added["type"] == "thread.item.added")
        #expect(added["item"]?["workflow"]?["expanded"] == false, "a thought opens collapsed")
        #expect(added["item"]?["workflow"]?["tasks"]?.arrayValue?.first?["type"] == "thought")
        let updates = events.compactMap { $0["update"] }
        #expect(updates.map { "\($0["type"]?.stringValue ?? ""):\($0["task_index"]?.intValue ?? -1)" } == [
            "workflow.task.updated:0", "workflow.task.added:1", "workflow.task.added:2", "workflow.task.updated:2", "workflow.task.updated:1",
            "assistant_message.content_part.added:-1", "assistant_message.content_part.text_delta:-1", "assistant_message.content_part.done:-1",
        ])
        #expect(updates[0]["task"]?["content"] == "Two tasks to add." && updates[0]["task"]?["status_indicator"] == "complete")
        let workflow = try #require(events.first { $0["type"] == "thread.item.done" }?["item"]?["workflow"])
        #expect(workflow["tasks"]?.arrayValue?.map { $0["title"]?.stringValue ?? "" } == ["Thought", "Added task 'A'", "Added task 'B'"])
        #expect(workflow["summary"] == .obj(["title": "Called add_task", "icon": "check"]))
        #expect(t.fullText == "Done.", "reasoning is never answer text")
        // The stored item keeps the tool records apart; the client form has a badge on tool tasks only.
        let stored = try #require(out.compactMap { if case .saveItem(_, _, let payload) = $0, payload["type"] == "workflow" { payload } else { nil } }.first)
        #expect(stored[ChatKitWire.toolsKey]?.arrayValue?.count == 2)
        let client = try #require(ChatKitWire.clientItem(stored))
        #expect(client["workflow"]?["tasks"]?.arrayValue?.map { $0[ChatKitWire.toolBadgeKey] == nil } == [true, false, false])
    }

    @Test("A long thought is updated at most every 256 characters while it streams, and closes whole")
    func throttled() {
        var t = TurnTranslatorTests.make()
        var out: [TurnOutput] = []
        for _ in 0..<100 { out += t.apply(.reasoningDelta("0123456789"), now: now) }
        out += t.finish()
        let updates = TurnTranslatorTests.events(out).filter { $0["type"] == "thread.item.updated" }
        #expect(updates.count == 3, "1000 characters: updates at 256, 513, 770 (not 100 updates)")
        let done = TurnTranslatorTests.events(out).last { $0["type"] == "thread.item.done" }
        #expect(done?["item"]?["workflow"]?["tasks"]?.arrayValue?.first?["content"]?.stringValue?.count == 1000)
        #expect(done?["item"]?["workflow"]?["summary"] == .obj(["title": "Thought", "icon": "lightbulb"]))
    }

    @Test("Stored workflows from before thoughts get their badges in order; thought tasks never take one")
    func badgesSkipThoughts() throws {
        let tasks: [JSONValue] = [ChatKitWire.thoughtTask("hm", running: false), ChatKitWire.task(title: "Added", content: "ok", running: false)]
        let item = ChatKitWire.workflow(id: "wf_1", threadID: "thr_1", createdAt: now, tasks: tasks, summary: nil, expanded: false)
            .setting(ChatKitWire.toolsKey, .array([.obj(["call_id": "c", "name": "add_task", "arguments": "{}", "result": "ok", "is_error": false])]))
        let client = try #require(ChatKitWire.clientItem(item))
        let badges = client["workflow"]?["tasks"]?.arrayValue?.map { $0[ChatKitWire.toolBadgeKey]?["name"]?.stringValue }
        #expect(badges == [nil, "add_task"])
    }
}
