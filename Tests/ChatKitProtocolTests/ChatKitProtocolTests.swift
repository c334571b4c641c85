import Testing
import Foundation
import ChatKitProtocol
import TodoCore

// MARK: - Helpers

func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "txt"))
    return try String(contentsOf: url, encoding: .utf8)
}

/// The JSON payloads a capture's response carries: SSE `data:` lines of the de-chunked body, or the JSON body.
func payloads(_ name: String) throws -> [String] {
    let text = try fixture(name)
    if let range = text.range(of: "=== RESPONSE BODY (de-chunked") {
        return text[range.upperBound...].split(whereSeparator: \.isNewline).filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }
    return [String(text.split(whereSeparator: \.isNewline).last ?? "")]
}

// MARK: - Wire format

@Suite("ChatKit wire format")
struct WireFormatTests {
    @Test("Every captured payload round-trips byte for byte (compact, key order kept, non-ASCII raw, \\n escaped)")
    func roundTrip() throws {
        for name in ["02_threads_create_add_task", "05_items_list_default", "08_threads_get_by_id", "25_unicode_message", "33_threads_list_limit1"] {
            for payload in try payloads(name) {
                #expect(try JSONValue.parse(payload).text == payload, "\(name)")
            }
        }
    }

    @Test("Builders reproduce the reference's thread, item and event JSON")
    func builders() throws {
        let created = Timestamp(millisecondsSinceEpoch: 0)
        let thread = ChatKitWire.thread(id: "thr_1", createdAt: created, payload: ChatKitWire.threadPayload(title: nil))
        #expect(thread.text == #"{"id":"thr_1","created_at":"1970-01-01T00:00:00.000Z","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}"#)
        #expect(ChatKitWire.streamOptions.text == #"{"type":"stream_options","stream_options":{"allow_cancel":true}}"#)
        #expect(ChatKitWire.error(code: "stream.error", message: nil, allowRetry: true).text == #"{"type":"error","code":"stream.error","allow_retry":true}"#)
        #expect(ChatKitWire.page([], hasMore: false, after: "x").text == #"{"data":[],"has_more":false}"#, "after only with has_more")
        #expect(String(decoding: ChatKitWire.sseFrame(.obj(["a": "é\n"])), as: UTF8.self) == "data: {\"a\":\"é\\n\"}\n\n")
        let stored = ChatKitWire.workflow(id: "wf_1", threadID: "thr_1", createdAt: created, tasks: [], summary: nil, expanded: false)
            .setting(ChatKitWire.toolsKey, .array([]))
        #expect(ChatKitWire.clientItem(stored)?[ChatKitWire.toolsKey] == nil)
        #expect(ChatKitWire.clientItem(.obj(["type": "sdk_hidden_context"])) == nil)
    }

    @Test("Malformed JSON is rejected with a position, never a crash")
    func malformed() throws {
        for bad in ["{not json", "", "[1,]", "{\"a\":1}x", "\"\\ud800\"", "{\"a\":\u{01}}", String(repeating: "[", count: 100)] {
            #expect(throws: ChatKitError.self) { try JSONValue.parse(bad) }
        }
        #expect(try JSONValue.parse(#" {"a" : [1, -2.5e3, true, null, "\u00e9\ud83c\udf0d"]} "#).text == #"{"a":[1,-2.5e3,true,null,"é🌍"]}"#)
    }

    @Test("Strings: escapes written and read back, runs without escapes copied whole, bad UTF-8 and raw controls rejected")
    func strings() throws {
        let text = "plain \"q\" back\\slash\nline\ttab\u{01}\u{1F} é🌍 end"
        let encoded = JSONValue.string(text).text
        #expect(encoded == #""plain \"q\" back\\slash\nline\ttab\u0001\u001f é🌍 end""#)
        #expect(try JSONValue.parse(encoded) == .string(text))
        #expect(try JSONValue.parse(#""no escapes at all""#) == .string("no escapes at all"))
        #expect(try JSONValue.parse(#""a\/b""#) == .string("a/b"))
        #expect(throws: ChatKitError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: ChatKitError.self) { try JSONValue.parse([0x22, 0x61, 0x0A, 0x22]) }
        #expect(throws: ChatKitError.self) { try JSONValue.parse(#""unterminated"#) }
    }
}

// MARK: - Requests

@Suite("ChatKit requests")
struct RequestTests {
    static let input = #"{"content":[{"type":"input_text","text":"hi"}],"attachments":[],"inference_options":{}}"#

    @Test("All 16 request types parse; 6 of them stream")
    func allTypes() throws {
        let bodies = [
            #"{"type":"threads.create","params":{"input":\#(Self.input)}}"#,
            #"{"type":"threads.add_user_message","params":{"thread_id":"t","input":\#(Self.input)}}"#,
            #"{"type":"threads.add_client_tool_output","params":{"thread_id":"t","result":null}}"#,
            #"{"type":"threads.add_structured_input","params":{"thread_id":"t","item_id":"i","input":{"status":"answered"}}}"#,
            #"{"type":"threads.retry_after_item","params":{"thread_id":"t","item_id":"i"}}"#,
            #"{"type":"threads.custom_action","params":{"thread_id":"t","action":{"type":"x"}}}"#,
            #"{"type":"threads.get_by_id","params":{"thread_id":"t"}}"#,
            #"{"type":"threads.list","params":{}}"#,
            #"{"type":"threads.update","params":{"thread_id":"t","title":"x"}}"#,
            #"{"type":"threads.delete","params":{"thread_id":"t"}}"#,
            #"{"type":"threads.sync_custom_action","params":{"thread_id":"t","item_id":null,"action":{"type":"x","payload":{"a":1}}}}"#,
            #"{"type":"items.list","params":{"thread_id":"t","limit":"5","order":"asc"}}"#,
            #"{"type":"items.feedback","params":{"thread_id":"t","item_ids":["a"],"kind":"negative"}}"#,
            #"{"type":"attachments.create","params":{"name":"a","size":3,"mime_type":"text/plain"}}"#,
            #"{"type":"attachments.delete","params":{"attachment_id":"a"}}"#,
            #"{"type":"input.transcribe","params":{"audio_base64":"aGk=","mime_type":"audio/webm"}}"#,
        ]
        #expect(bodies.count == ChatKitRequest.allTypes.count)
        for body in bodies { _ = try ChatKitRequest.parse(Array(body.utf8)) }
        #expect(ChatKitRequest.streamingTypes.count == 6)
        guard case .listItems(_, let params) = try ChatKitRequest.parse(Array(bodies[11].utf8)) else { Issue.record("items.list"); return }
        #expect(params == ListParams(limit: 5, order: .asc, after: nil))
        guard case .listThreads(let defaults) = try ChatKitRequest.parse(Array(#"{"type":"threads.list","params":{"limit":null}}"#.utf8)) else { Issue.record("threads.list with limit null"); return }
        #expect(defaults == ListParams(limit: 20, order: .desc, after: nil))
    }

    @Test("Missing or mistyped parameters name the field")
    func fieldErrors() {
        let cases: [(String, String)] = [
            (#"{"type":"threads.list"}"#, "params"),
            (#"{"params":{}}"#, "type"),
            (#"{"type":"threads.get_by_id","params":{"thread_id":5}}"#, "params.thread_id"),
            (#"{"type":"threads.create","params":{"input":{"content":[],"inference_options":{}}}}"#, "params.input.attachments"),
            (#"{"type":"threads.create","params":{"input":{"content":[],"attachments":[]}}}"#, "params.input.inference_options"),
            (#"{"type":"threads.create","params":{"input":{"content":[{"type":"image"}],"attachments":[],"inference_options":{}}}}"#, "params.input.content"),
            (#"{"type":"items.list","params":{"thread_id":"t","order":"sideways"}}"#, "params.order"),
            (#"{"type":"items.feedback","params":{"thread_id":"t","item_ids":["a"],"kind":"meh"}}"#, "params.kind"),
        ]
        for (body, field) in cases {
            do {
                _ = try ChatKitRequest.parse(Array(body.utf8))
                Issue.record("accepted \(body)")
            } catch let error as ChatKitError {
                #expect(error.field == field, "\(body)")
                #expect(error.status == 400)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
