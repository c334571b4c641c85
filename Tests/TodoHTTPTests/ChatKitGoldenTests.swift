import Testing
import HummingbirdTesting
import ChatKitProtocol
import TodoHTTP
import HTTPTypes

// MARK: - Golden streams and JSON from the reference captures

@Suite("ChatKit golden wire (captures)")
struct ChatKitGoldenTests {
    static let create = #"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"add buy milk"}],"attachments":[],"inference_options":{}}}}"#

    static func addMessage(_ thread: String, _ text: String) -> String {
        #"{"type":"threads.add_user_message","params":{"thread_id":"\#(thread)","input":{"content":[{"type":"input_text","text":"\#(text)"}],"attachments":[],"inference_options":{}}}}"#
    }

    @Test("threads.create streams exactly the reference's events (capture 02), ids and times aside")
    func createMatchesCapture() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let response = try await client.chatkit(Self.create, token: token)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            #expect(response.text.hasPrefix("data: {\"type\":\"thread.created\""))
            #expect(response.text.hasSuffix("}\n\n"))
            let expected = try captureEvents("02_threads_create_add_task").map(normalized)
            let got = response.events.map(normalized)
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) { #expect(g == e, "\(g.text)\n!=\n\(e.text)") }
            // Beyond the reference: each tool task names its tool and state for the UI.
            let done = try #require(response.events.first { $0["type"]?.stringValue == "thread.item.done" && $0["item"]?["type"]?.stringValue == "workflow" })
            let badge = try #require(done["item"]?["workflow"]?["tasks"]?.arrayValue?.first?[ChatKitWire.toolBadgeKey])
            #expect(badge["name"]?.stringValue == "add_task")
            #expect(badge["state"]?.stringValue == "done")
        }
    }

    @Test("add_user_message and the JSON reads match captures 03, 05-09")
    func conversationMatchesCaptures() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let created = try await client.chatkit(Self.create, token: token)
            let thread = try #require(created.events.first?["thread"]?["id"]?.stringValue)
            #expect(thread.hasPrefix("thr_"))
            let second = try await client.chatkit(Self.addMessage(thread, "hello there"), token: token)
            #expect(second.events.map(normalized) == (try captureEvents("03_threads_add_user_message_echo").map(normalized)))

            let list = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)"}}"#, token: token)
            #expect(list.headers[.contentType] == "application/json")
            #expect(normalized(list.json) == normalized(try JSONValue.parse(captureBody("05_items_list_default"))))

            let page1 = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc","limit":2}}"#, token: token)
            #expect(normalized(page1.json) == normalized(try JSONValue.parse(captureBody("06_items_list_asc_limit2_page1"))))
            let after = try #require(page1.json["after"]?.stringValue)
            #expect(page1.json["data"]?.arrayValue?.last?["id"]?.stringValue == after)
            let page2 = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc","limit":2,"after":"\#(after)"}}"#, token: token)
            #expect(normalized(page2.json) == normalized(try JSONValue.parse(captureBody("07_items_list_asc_limit2_page2"))))

            let byID = try await client.chatkit(#"{"type":"threads.get_by_id","params":{"thread_id":"\#(thread)"}}"#, token: token)
            #expect(normalized(byID.json) == normalized(try JSONValue.parse(captureBody("08_threads_get_by_id"))))

            let update = try await client.chatkit(#"{"type":"threads.update","params":{"thread_id":"\#(thread)","title":"Renamed \u2713 thread"}}"#, token: token)
            #expect(update.text.contains("\"title\":\"Renamed ✓ thread\""), "non-ASCII is sent raw")
            #expect(normalized(update.json) == normalized(try JSONValue.parse(captureBody("09_threads_update"))))

            let feedback = try await client.chatkit(#"{"type":"items.feedback","params":{"thread_id":"\#(thread)","item_ids":[],"kind":"positive"}}"#, token: token)
            #expect(feedback.text == "{}")
            let delete = try await client.chatkit(#"{"type":"threads.delete","params":{"thread_id":"\#(thread)"}}"#, token: token)
            #expect(delete.text == "{}")
            let gone = try await client.chatkit(#"{"type":"threads.get_by_id","params":{"thread_id":"\#(thread)"}}"#, token: token)
            #expect(gone.status == .notFound)
            #expect(gone.json["error"]?["code"]?.stringValue == "not_found")
        }
    }

    @Test("retry_after_item: stream_options, thread.item.removed for newer items, then the new answer (capture 12 + removals)")
    func retryAfterItem() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let created = try await client.chatkit(Self.create, token: token)
            let thread = try #require(created.events.first?["thread"]?["id"]?.stringValue)
            let second = try await client.chatkit(Self.addMessage(thread, "hello there"), token: token)
            let userID = try #require(second.events.first?["item"]?["id"]?.stringValue)
            let oldReply = try #require(second.events.last?["item"]?["id"]?.stringValue)
            let retry = try await client.chatkit(#"{"type":"threads.retry_after_item","params":{"thread_id":"\#(thread)","item_id":"\#(userID)"}}"#, token: token)
            let events = retry.events
            #expect(events.first?["type"]?.stringValue == "stream_options")
            #expect(events[1] == .obj(["type": "thread.item.removed", "item_id": .string(oldReply)]))
            var expected = try captureEvents("12_threads_retry_after_item").map(normalized)
            expected.insert(normalized(events[1]), at: 1)
            #expect(events.map(normalized) == expected)
            let items = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc"}}"#, token: token)
            let ids = items.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count == 5)
            #expect(!ids.contains(oldReply))
            #expect(ids.last == events.last?["item"]?["id"]?.stringValue)
        }
    }

    @Test("Malformed, unknown and unsupported requests get 4xx JSON (the reference answers 500)")
    func errorsAreJSON() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let cases: [(String, Int, String)] = [
                ("{not json", 400, "invalid_json"),
                (#"{"type":"threads.frobnicate","params":{}}"#, 400, "invalid_request"),
                (#"{"type":"threads.list"}"#, 400, "invalid_request"),
                (#"{"type":"threads.get_by_id","params":{}}"#, 400, "invalid_request"),
                (#"{"type":"threads.get_by_id","params":{"thread_id":"thr_nope"}}"#, 404, "not_found"),
                (#"{"type":"items.list","params":{"thread_id":"thr_nope"}}"#, 404, "not_found"),
                (Self.addMessage("thr_nope", "hi"), 404, "not_found"),
                (#"{"type":"attachments.create","params":{"name":"a.txt","size":1,"mime_type":"text/plain"}}"#, 400, "not_supported"),
                (#"{"type":"attachments.delete","params":{"attachment_id":"atc_1"}}"#, 400, "not_supported"),
                (#"{"type":"input.transcribe","params":{"audio_base64":"aGVsbG8=","mime_type":"audio/webm"}}"#, 400, "not_supported"),
                (#"{"type":"threads.sync_custom_action","params":{"thread_id":"t","action":{"type":"x"}}}"#, 404, "not_found"),
                (#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"x"}],"attachments":["atc_1"],"inference_options":{}}}}"#, 400, "not_supported"),
            ]
            for (body, status, code) in cases {
                let r = try await client.chatkit(body, token: token)
                #expect(Int(r.status.code) == status, "\(body)")
                #expect(r.headers[.contentType] == "application/json")
                #expect(r.json["error"]?["code"]?.stringValue == code, "\(body) → \(r.text)")
            }
            // Extra fields and top-level metadata are ignored (capture 43); limit 0 means 20.
            let extra = try await client.chatkit(#"{"type":"threads.list","params":{"limit":0,"bogus":true},"bogus":1,"metadata":{"k":"v"}}"#, token: token)
            #expect(extra.text == #"{"data":[],"has_more":false}"#)
        }
    }
}
