public import TodoCore

// MARK: - Request model

/// The text and options of a new user message (`UserMessageInput`).
public struct UserMessageInput: Sendable, Hashable {
    /// The content parts, normalized to the wire shape (`input_text` / `input_tag`).
    public var content: [JSONValue]
    /// Attachment ids (this server supports none; a non-empty list is rejected).
    public var attachments: [String]
    /// `{tool_choice?, model?}`.
    public var inferenceOptions: JSONValue
    /// Quoted text the user replied to, if any.
    public var quotedText: String?

    /// - Parameters:
    ///   - content: wire-shaped content parts.
    ///   - attachments: attachment ids.
    ///   - inferenceOptions: `{tool_choice?, model?}`.
    ///   - quotedText: quoted text, if any.
    public init(content: [JSONValue], attachments: [String] = [], inferenceOptions: JSONValue = .object([]), quotedText: String? = nil) {
        self.content = content
        self.attachments = attachments
        self.inferenceOptions = inferenceOptions
        self.quotedText = quotedText
    }

    /// The plain text of the message: the `text` of every part, joined.
    public var text: String {
        content.compactMap { $0["text"]?.stringValue }.joined()
    }
}

/// `limit`, `order` and `after` of `threads.list` / `items.list`.
public struct ListParams: Sendable, Hashable {
    /// Page size; `null` or `0` become 20 (the reference's `limit or 20`).
    public var limit: Int
    /// Sort order, `desc` by default.
    public var order: SortOrder
    /// Exclusive cursor: the id of the last entry already seen.
    public var after: String?

    /// - Parameters:
    ///   - limit: page size.
    ///   - order: sort order.
    ///   - after: cursor.
    public init(limit: Int = 20, order: SortOrder = .desc, after: String? = nil) {
        self.limit = limit
        self.order = order
        self.after = after
    }
}

/// One of the 16 ChatKit request types, parsed and validated.
public enum ChatKitRequest: Sendable {
    case threadsCreate(input: UserMessageInput)
    case addUserMessage(threadID: String, input: UserMessageInput)
    case addClientToolOutput(threadID: String, result: JSONValue)
    case addStructuredInput(threadID: String, itemID: String, input: JSONValue)
    case retryAfterItem(threadID: String, itemID: String)
    case customAction(threadID: String, itemID: String?, action: JSONValue)
    case getThread(threadID: String)
    case listThreads(ListParams)
    case updateThread(threadID: String, title: String)
    case deleteThread(threadID: String)
    case syncCustomAction(threadID: String, itemID: String?, action: JSONValue)
    case listItems(threadID: String, ListParams)
    case feedback(threadID: String, itemIDs: [String], kind: String)
    case createAttachment(name: String, size: Int, mimeType: String)
    case deleteAttachment(id: String)
    case transcribe(audioBase64: String, mimeType: String)

    /// Every request type name, in PROTOCOL.md order.
    public static let allTypes = [
        "threads.create", "threads.add_user_message", "threads.add_client_tool_output", "threads.add_structured_input",
        "threads.retry_after_item", "threads.custom_action", "threads.get_by_id", "threads.list", "threads.update",
        "threads.delete", "threads.sync_custom_action", "items.list", "items.feedback", "attachments.create",
        "attachments.delete", "input.transcribe",
    ]

    /// The streaming types (answered with SSE); the others answer JSON.
    public static let streamingTypes: Set<String> = [
        "threads.create", "threads.add_user_message", "threads.add_client_tool_output", "threads.add_structured_input",
        "threads.retry_after_item", "threads.custom_action",
    ]

    // MARK: Parsing

    /// Parses and validates a request body.
    /// - Parameter body: the raw JSON bytes.
    /// - Throws: `ChatKitError` (400) naming the offending field.
    public static func parse(_ body: some Collection<UInt8>) throws -> ChatKitRequest {
        let root = try JSONValue.parse(body)
        guard root.objectValue != nil else { throw ChatKitError.badRequest(field: "body", "the request must be a JSON object") }
        guard let type = root["type"]?.stringValue else { throw ChatKitError.badRequest(field: "type", "`type` must be a string") }
        guard allTypes.contains(type) else { throw ChatKitError.badRequest(field: "type", "unknown request type `\(type)`") }
        if let metadata = root["metadata"], metadata.objectValue == nil, !metadata.isNull {
            throw ChatKitError.badRequest(field: "metadata", "`metadata` must be an object")
        }
        guard let params = root["params"], params.objectValue != nil else {
            throw ChatKitError.badRequest(field: "params", "`params` is required and must be an object")
        }
        let p = Params(value: params)
        switch type {
        case "threads.create": return .threadsCreate(input: try p.userInput("input"))
        case "threads.add_user_message": return .addUserMessage(threadID: try p.string("thread_id"), input: try p.userInput("input"))
        case "threads.add_client_tool_output":
            guard let result = params["result"] else { throw ChatKitError.badRequest(field: "params.result", "`result` is required") }
            return .addClientToolOutput(threadID: try p.string("thread_id"), result: result)
        case "threads.add_structured_input":
            guard let input = params["input"], input.objectValue != nil else {
                throw ChatKitError.badRequest(field: "params.input", "`input` must be an object")
            }
            return .addStructuredInput(threadID: try p.string("thread_id"), itemID: try p.string("item_id"), input: input)
        case "threads.retry_after_item": return .retryAfterItem(threadID: try p.string("thread_id"), itemID: try p.string("item_id"))
        case "threads.custom_action": return .customAction(threadID: try p.string("thread_id"), itemID: try p.optionalString("item_id"), action: try p.action())
        case "threads.sync_custom_action":
            return .syncCustomAction(threadID: try p.string("thread_id"), itemID: try p.optionalString("item_id"), action: try p.action())
        case "threads.get_by_id": return .getThread(threadID: try p.string("thread_id"))
        case "threads.list": return .listThreads(try p.list())
        case "threads.update": return .updateThread(threadID: try p.string("thread_id"), title: try p.string("title"))
        case "threads.delete": return .deleteThread(threadID: try p.string("thread_id"))
        case "items.list": return .listItems(threadID: try p.string("thread_id"), try p.list())
        case "items.feedback":
            let kind = try p.string("kind")
            guard kind == "positive" || kind == "negative" else {
                throw ChatKitError.badRequest(field: "params.kind", "`kind` must be positive or negative")
            }
            return .feedback(threadID: try p.string("thread_id"), itemIDs: try p.stringArray("item_ids"), kind: kind)
        case "attachments.create":
            return .createAttachment(name: try p.string("name"), size: try p.int("size"), mimeType: try p.string("mime_type"))
        case "attachments.delete": return .deleteAttachment(id: try p.string("attachment_id"))
        default: return .transcribe(audioBase64: try p.string("audio_base64"), mimeType: try p.string("mime_type"))
        }
    }
}

// MARK: - Field readers

private struct Params {
    let value: JSONValue

    func string(_ key: String) throws -> String {
        guard let s = value[key]?.stringValue else { throw ChatKitError.badRequest(field: "params.\(key)", "`\(key)` is required and must be a string") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw ChatKitError.badRequest(field: "params.\(key)", "`\(key)` must be a string") }
        return s
    }

    func int(_ key: String) throws -> Int {
        guard let v = value[key], let i = v.intValue ?? v.stringValue.flatMap({ Int($0) }) else {
            throw ChatKitError.badRequest(field: "params.\(key)", "`\(key)` is required and must be an integer")
        }
        return i
    }

    func stringArray(_ key: String) throws -> [String] {
        guard let a = value[key]?.arrayValue else { throw ChatKitError.badRequest(field: "params.\(key)", "`\(key)` must be an array of strings") }
        return try a.map {
            guard let s = $0.stringValue else { throw ChatKitError.badRequest(field: "params.\(key)", "`\(key)` must be an array of strings") }
            return s
        }
    }

    func action() throws -> JSONValue {
        guard let a = value["action"], a["type"]?.stringValue != nil else {
            throw ChatKitError.badRequest(field: "params.action", "`action` must be an object with a string `type`")
        }
        return a
    }

    func list() throws -> ListParams {
        var limit = 20
        if let v = value["limit"], !v.isNull {
            guard let n = v.intValue ?? v.stringValue.flatMap({ Int($0) }), n >= 0 else {
                throw ChatKitError.badRequest(field: "params.limit", "`limit` must be a non-negative integer")
            }
            limit = n == 0 ? 20 : min(n, 1000)
        }
        var order = SortOrder.desc
        if let v = value["order"], !v.isNull {
            guard let s = v.stringValue, let o = SortOrder(rawValue: s) else {
                throw ChatKitError.badRequest(field: "params.order", "`order` must be asc or desc")
            }
            order = o
        }
        return ListParams(limit: limit, order: order, after: try optionalString("after"))
    }

    func userInput(_ key: String) throws -> UserMessageInput {
        let f = "params.\(key)"
        guard let input = value[key], input.objectValue != nil else { throw ChatKitError.badRequest(field: f, "`\(key)` must be an object") }
        guard let parts = input["content"]?.arrayValue else { throw ChatKitError.badRequest(field: "\(f).content", "`content` must be an array") }
        let content: [JSONValue] = try parts.map { part in
            switch part["type"]?.stringValue {
            case "input_text":
                guard let text = part["text"]?.stringValue else { throw ChatKitError.badRequest(field: "\(f).content", "input_text needs a string `text`") }
                return .obj(["type": "input_text", "text": .string(text)])
            case "input_tag":
                guard let id = part["id"]?.stringValue, let text = part["text"]?.stringValue, let data = part["data"], data.objectValue != nil else {
                    throw ChatKitError.badRequest(field: "\(f).content", "input_tag needs `id`, `text` and an object `data`")
                }
                return .obj([
                    "type": "input_tag", "id": .string(id), "text": .string(text), "data": data,
                    "group": part["group"]?.stringValue.map { .string($0) }, "interactive": .bool(part["interactive"]?.boolValue ?? false),
                ])
            default:
                throw ChatKitError.badRequest(field: "\(f).content", "content parts must be input_text or input_tag")
            }
        }
        guard let attachments = input["attachments"]?.arrayValue, attachments.allSatisfy({ $0.stringValue != nil }) else {
            throw ChatKitError.badRequest(field: "\(f).attachments", "`attachments` is required and must be an array of ids")
        }
        guard let options = input["inference_options"], options.objectValue != nil else {
            throw ChatKitError.badRequest(field: "\(f).inference_options", "`inference_options` is required and must be an object")
        }
        let toolChoice = options["tool_choice"]?["id"]?.stringValue.map { JSONValue.obj(["id": .string($0)]) }
        let normalized = JSONValue.obj(["tool_choice": toolChoice, "model": options["model"]?.stringValue.map { .string($0) }])
        return UserMessageInput(
            content: content, attachments: attachments.compactMap(\.stringValue), inferenceOptions: normalized,
            quotedText: input["quoted_text"]?.stringValue)
    }
}
