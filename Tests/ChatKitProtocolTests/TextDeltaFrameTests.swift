import Testing
@testable import ChatKitProtocol
import TodoCore

// MARK: - The text delta frame's fast path writes what the general writer writes

@Suite("Text delta frames")
struct TextDeltaFrameTests {
    static let deltas = ["lorem", " ipsum", "", "quote \" backslash \\ slash /", "line\nbreak\r\ttab", "\u{01}\u{08}\u{0C}\u{1F}\u{7F}",
                         "ünïcødé 日本語 😀", String(repeating: "long text ", count: 200), "{\"json\":[1,2]}"]

    static func general(_ event: JSONValue) -> [UInt8] { SSEFrame.frame { event.write(to: &$0) } }

    @Test("Every delta the translator emits takes the fast path, with the general writer's bytes")
    func translatorDeltasTakeTheFastPath() throws {
        var translator = TurnTranslator(threadID: "thr_1") { "\($0)_\(UInt64.random(in: 0...UInt64.max))" }
        var deltas: [JSONValue] = []
        for piece in Self.deltas {
            for output in translator.apply(.textDelta(piece), now: Timestamp(millisecondsSinceEpoch: 0)) {
                if case .event(let event) = output, event["update"]?["type"]?.stringValue == "assistant_message.content_part.text_delta" {
                    deltas.append(event)
                }
            }
        }
        #expect(deltas.count == Self.deltas.count - 1, "an empty delta emits nothing")
        for event in deltas {
            let fast = try #require(ChatKitWire.textDeltaFrame(event), "\(event.text)")
            #expect(fast == Self.general(event))
            #expect(ChatKitWire.sseFrame(event) == fast)
        }
    }

    @Test("Any other shape takes the general writer")
    func otherShapesAreWrittenInGeneral() {
        let update = JSONValue.obj(["type": "assistant_message.content_part.text_delta", "content_index": 0, "delta": "x"])
        let others: [JSONValue] = [
            ChatKitWire.itemUpdated("msg_1", .obj(["type": "assistant_message.content_part.text_delta", "content_index": 0, "delta": "x", "extra": true])),
            ChatKitWire.itemUpdated("msg_1", .obj(["type": "assistant_message.content_part.added", "content_index": 0, "delta": "x"])),
            ChatKitWire.itemUpdated("msg_1", .obj(["type": "assistant_message.content_part.text_delta", "content_index": "0", "delta": "x"])),
            .obj(["type": "thread.item.updated", "item_id": 1, "update": update]),
            .obj(["item_id": "msg_1", "type": "thread.item.updated", "update": update]),
            .obj(["type": "thread.item.done", "item_id": "msg_1", "update": update]),
            ChatKitWire.itemRemoved("msg_1"), .array([]), "text",
        ]
        for event in others {
            #expect(ChatKitWire.textDeltaFrame(event) == nil, "\(event.text)")
            #expect(ChatKitWire.sseFrame(event) == Self.general(event))
        }
    }
}
