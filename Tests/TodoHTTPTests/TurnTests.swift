import Testing
import HummingbirdTesting
import HTTPTypes
import ChatKitProtocol
import TodoCore
import TodoHTTP

// MARK: - Responder events on the wire, history and errors

@Suite("ChatKit turns")
struct TurnTests {
    static let toolScript: [ResponderEvent] = [
        .textDelta("Let me "), .textDelta("check."), .endMessage,
        .toolStarted(callID: "c1", name: "add_task", arguments: #"{"title":"milk"}"#, title: "Adding milk"),
        .toolStarted(callID: "c2", name: "list_tasks", arguments: "{}", title: "Listing"),
        .toolFinished(callID: "c1", title: "Added milk", result: #"{"id":"t_1"}"#, isError: false),
        .toolFinished(callID: "c2", title: "List failed", result: "boom", isError: true),
        .textDelta("Done."), .title("Milk"),
    ]

    @Test("Text deltas, tool tasks (running → done/error) and a title become ChatKit events, stored for reload and history")
    func toolsAndHistory() async throws {
        let responder = ScriptedResponder(events: Self.toolScript)
        let h = try await HTTPTestHarness.make(responder: responder)
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            let types = r.events.map { $0["type"]?.stringValue ?? "" }
            #expect(types == [
                "thread.created", "thread.item.done", "stream_options",
                "thread.item.added", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.done",
                "thread.item.added", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.done",
                "thread.item.added", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.done",
                "thread.updated",
            ])
            let workflow = try #require(r.events[13]["item"]?["workflow"])
            let tasks = try #require(workflow["tasks"]?.arrayValue)
            #expect(tasks.map { $0["status_indicator"]?.stringValue } == ["complete", "complete"])
            #expect(tasks[0]["title"]?.stringValue == "Added milk")
            #expect(tasks[1]["content"]?.stringValue == "Error: boom")
            #expect(workflow["summary"]?["title"]?.stringValue == "Called add_task, list_tasks")
            #expect(r.events[10]["update"]?["type"]?.stringValue == "workflow.task.added")
            #expect(r.events.last?["thread"]?["title"]?.stringValue == "Milk")
            #expect(!r.text.contains("x_tools"), "private tool records never reach the client")
            let thread = try #require(r.events.first?["thread"]?["id"]?.stringValue)
            let items = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc"}}"#, token: token)
            #expect(items.json["data"]?.arrayValue?.map { $0["type"]?.stringValue ?? "" } == ["user_message", "assistant_message", "workflow", "assistant_message"])
            #expect(items.json["data"]?.arrayValue?[2] == r.events[13]["item"], "the stored workflow renders after reload")

            _ = try await client.chatkit(ChatKitGoldenTests.addMessage(thread, "again"), token: token)
            let second = try #require(responder.inputs.all.last)
            #expect(second.isNewThread == false)
            #expect(second.message == "again")
            #expect(second.history == [
                .user("add buy milk"), .assistant("Let me check."),
                .tool(callID: "c1", name: "add_task", arguments: #"{"title":"milk"}"#, result: #"{"id":"t_1"}"#, isError: false),
                .tool(callID: "c2", name: "list_tasks", arguments: "{}", result: "boom", isError: true),
                .assistant("Done."),
            ])
        }
    }

    @Test("Responder errors: in-band error events (custom with allow_retry, stream.error when it throws, unconfigured → no retry)")
    func errors() async throws {
        let cases: [(any Responder, JSONValue)] = [
            (ScriptedResponder(events: [.textDelta("Partial"), .error(message: "Upstream down", allowRetry: true)]),
             .obj(["type": "error", "code": "custom", "message": "Upstream down", "allow_retry": true])),
            (ScriptedResponder(events: [], throwsAtEnd: true),
             .obj(["type": "error", "code": "stream.error", "message": "The assistant failed to answer. Please try again.", "allow_retry": true])),
            (UnconfiguredResponder(message: "not configured"),
             .obj(["type": "error", "code": "custom", "message": "not configured", "allow_retry": false])),
        ]
        for (responder, expected) in cases {
            let h = try await HTTPTestHarness.make(responder: responder)
            let token = try await h.token()
            try await h.test { client in
                let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
                #expect(r.status == .ok)
                #expect(r.events.last == expected)
                let thread = try #require(r.events.first?["thread"]?["id"]?.stringValue)
                let items = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc"}}"#, token: token)
                let kept = items.json["data"]?.arrayValue?.count ?? 0
                #expect(kept == (expected["message"]?.stringValue == "Upstream down" ? 2 : 1), "partial text is kept; nothing invented")
            }
        }
    }

    @Test("A turn past its time limit is cut: what streamed is kept, the stream ends with a retryable error, the responder is cancelled")
    func turnTimeout() async throws {
        // One delta at once, then nothing until cancelled; the limit (2 s) leaves the delta ample time to stream.
        let responder = ScriptedResponder(events: [.textDelta("Partial")], hangsAtEnd: true)
        let configuration = HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0, turnTimeoutSeconds: 2)
        let h = try await HTTPTestHarness.make(responder: responder, configuration: configuration)
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            #expect(r.status == .ok)
            #expect(r.events.last == .obj(["type": "error", "code": "custom", "message": "The assistant took too long to answer.", "allow_retry": true]))
            let deltas = r.events.compactMap { $0["update"]?["delta"]?.stringValue }
            #expect(deltas == ["Partial"], "only what came within the limit: \(deltas)")
            let thread = try #require(r.events.first?["thread"]?["id"]?.stringValue)
            let items = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc"}}"#, token: token)
            #expect(items.json["data"]?.arrayValue?.count == 2, "the question and the partial answer are kept")
        }
        #expect(responder.inputs.wasCancelled, "the responder was cancelled at the limit")
    }

    @Test("Legacy /api/chat answers synchronously and shares the ChatKit thread")
    func legacyChat() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.call("/api/chat", .post, token: token, body: #"{"message":"add eggs"}"#)
            #expect(r.status == .ok)
            #expect(r.json["response"]?.stringValue == #"Added task "eggs" to your list. Anything else?"#)
            #expect(r.json["tool_calls"] == .array([.obj(["name": "add_task", "arguments": .obj(["title": "eggs"]), "result": #"{"title": "eggs"}"#])]))
            let id = try #require(r.json["conversation_id"]?.stringValue)
            let again = try await client.call("/api/chat", .post, token: token, body: #"{"message":"hi","conversation_id":"\#(id)"}"#)
            #expect(again.json["conversation_id"]?.stringValue == id)
            let items = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(id)","order":"asc"}}"#, token: token)
            #expect(items.json["data"]?.arrayValue?.count == 5)
            let missing = try await client.call("/api/chat", .post, token: token, body: #"{"message":"hi","conversation_id":"thr_nope"}"#)
            #expect(missing.status == .notFound)
            let bad = try await client.call("/api/chat", .post, token: token, body: #"{"text":"hi"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["error"]?["field"]?.stringValue == "message")
        }
    }
}
