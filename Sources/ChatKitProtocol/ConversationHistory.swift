// MARK: - ConversationHistory

/// Rebuilds the responder's view of a thread from stored item payloads.
public enum ConversationHistory {
    /// The conversation entries of stored items, oldest first.
    ///
    /// User messages give their text, assistant messages their text, workflows one `.tool` entry per
    /// recorded call (name, arguments, result). Other item types are skipped.
    /// - Parameter items: stored payloads, oldest first.
    public static func entries(from items: [JSONValue]) -> [ConversationEntry] {
        var out: [ConversationEntry] = []
        for item in items {
            switch item["type"]?.stringValue {
            case "user_message":
                let text = (item["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined()
                out.append(.user(text))
            case "assistant_message":
                let text = (item["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined()
                if !text.isEmpty { out.append(.assistant(text)) }
            case "workflow":
                for tool in item[ChatKitWire.toolsKey]?.arrayValue ?? [] {
                    guard let callID = tool["call_id"]?.stringValue, let name = tool["name"]?.stringValue else { continue }
                    out.append(.tool(
                        callID: callID, name: name, arguments: tool["arguments"]?.stringValue ?? "{}",
                        result: tool["result"]?.stringValue ?? "", isError: tool["is_error"]?.boolValue ?? false))
                }
            case "hidden_context_item" where item[TaskWidgetAction.historyNoteKey] != nil:
                if let note = item["content"]?.stringValue { out.append(.user(note)) }
            default:
                continue
            }
        }
        return out
    }

    /// The text of a stored `user_message` payload, or nil for other items.
    /// - Parameter item: the stored payload.
    public static func userText(of item: JSONValue) -> String? {
        guard item["type"]?.stringValue == "user_message" else { return nil }
        return (item["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined()
    }
}
