import TodoCore

// MARK: - The text delta frame, written without walking the event

extension ChatKitWire {
    /// The SSE frame of a text delta (`thread.item.updated` carrying an
    /// `assistant_message.content_part.text_delta`) when `event` has exactly the shape `TurnTranslator` gives
    /// it, else nil. Its bytes equal `SSEFrame.frame { event.write(to: &$0) }`'s; only the item id, the index
    /// and the delta are encoded, the rest is copied as it is. Most frames of a turn are deltas, and the
    /// general writer spent ~4,000 instructions on each, mostly on its ten constant keys and values.
    static func textDeltaFrame(_ event: JSONValue) -> [UInt8]? {
        guard case .object(let fields) = event, fields.count == 3,
              fields[0].0 == "type", case .string(let type) = fields[0].1, type == "thread.item.updated",
              fields[1].0 == "item_id", case .string(let itemID) = fields[1].1,
              fields[2].0 == "update", case .object(let update) = fields[2].1, update.count == 3,
              update[0].0 == "type", case .string(let kind) = update[0].1, kind == "assistant_message.content_part.text_delta",
              update[1].0 == "content_index", case .number(let index) = update[1].1,
              update[2].0 == "delta", case .string(let delta) = update[2].1
        else { return nil }
        let head: StaticString = #"{"type":"thread.item.updated","item_id":"#
        let middle: StaticString = #","update":{"type":"assistant_message.content_part.text_delta","content_index":"#
        let key: StaticString = #","delta":"#
        let capacity = head.utf8CodeUnitCount + middle.utf8CodeUnitCount + key.utf8CodeUnitCount + 6
            + itemID.utf8.count + index.utf8.count + delta.utf8.count
        return SSEFrame.frame(capacity: capacity) { out in
            out.append(contentsOf: UnsafeBufferPointer(start: head.utf8Start, count: head.utf8CodeUnitCount))
            JSONStringLiteral.append(itemID, to: &out)
            out.append(contentsOf: UnsafeBufferPointer(start: middle.utf8Start, count: middle.utf8CodeUnitCount))
            out.append(contentsOf: index.utf8)
            out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            JSONStringLiteral.append(delta, to: &out)
            out.append(UInt8(ascii: "}"))
            out.append(UInt8(ascii: "}"))
        }
    }
}
