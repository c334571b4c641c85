import Testing
import ChatKitProtocol

// MARK: - JSONReader: the same values and the same rejections as JSONValue.parse

/// Walks the whole document with the reader, building containers member by member; members named in `skip`
/// (at any depth) are skipped instead of read.
private func walk(_ reader: inout JSONReader, skipping skip: Set<String>) throws -> JSONValue {
    switch try reader.peek() {
    case .object:
        var fields: [(String, JSONValue)] = []
        try reader.beginObject()
        while try reader.nextMember() {
            if skip.contains(reader.key) { try reader.skip() } else { fields.append((reader.key, try walk(&reader, skipping: skip))) }
        }
        return .object(fields)
    case .array:
        var items: [JSONValue] = []
        try reader.beginArray()
        while try reader.nextElement() { items.append(try walk(&reader, skipping: skip)) }
        return .array(items)
    default:
        return try reader.value()
    }
}

private func read(_ text: String, skipping skip: Set<String> = []) throws -> JSONValue {
    var reader = JSONReader(Array(text.utf8))
    let value = try walk(&reader, skipping: skip)
    try reader.end()
    return value
}

/// The reference: `parse`'s value without the members named in `skip`.
private func removing(_ skip: Set<String>, from value: JSONValue) -> JSONValue {
    switch value {
    case .object(let fields): .object(fields.filter { !skip.contains($0.0) }.map { ($0.0, removing(skip, from: $0.1)) })
    case .array(let items): .array(items.map { removing(skip, from: $0) })
    default: value
    }
}

private let documents: [String] = [
    #"{"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"lorem"},"logprobs":null,"finish_reason":null}]}"#,
    #"{"choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_1","index":0,"type":"function","function":{"name":"add_task","arguments":"{\"title\":\"Buy milk\"}"}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}"#,
    #" { "choices" : [ { "index" : 1 , "delta" : { "content" : "a\nb \"q\" \u00e9 \ud83d\ude00" } } , { "index" : 0 } ] } "#,
    #"{"choices":"not an array","x":[1,2,{"y":[true,false,null,-1.5e3,0.25,1E+2]}],"e":{},"a":[]}"#,
    #"{"cho\u0069ces":[{"delta":{"cont\u0065nt":"escaped keys"}}],"\u0069d":"x","":"empty key"}"#,
    #"{"choices":[{"delta":{"content":"first"}}],"choices":[{"delta":{"content":"second"}}]}"#,
    #"{"model":"ünïcødé ключ 鍵","choices":[{"delta":{"content":"日本語"},"extra":{"deep":[[[[{}]]]]}}]}"#,
    #"{}"#, #"[]"#, #""just a string""#, #"42"#, "null", #"[{"choices":[]},[],[[]]]"#,
]

private let malformed: [String] = [
    #"{"id":"unterminated,"choices":[]}"#, #"{"id":"bad escape \q","choices":[]}"#,
    #"{"id":"lone \ud800 surrogate","choices":[]}"#, "{\"id\":\"control \u{01} character\",\"choices\":[]}",
    #"{"created":01x,"choices":[]}"#, #"{"created":1.,"choices":[]}"#, #"{"created":-,"choices":[]}"#,
    #"{"system_fingerprint":nul,"choices":[]}"#, #"{"logprobs":[1,2,],"choices":[]}"#,
    #"{"logprobs":{"a":1,},"choices":[]}"#, #"{"logprobs":{"a" 1},"choices":[]}"#, #"{"logprobs":{1:2},"choices":[]}"#,
    #"{"a":1 "b":2}"#, #"[1 2]"#, #"[1,]"#, #"{,}"#, #"[,1]"#, #"{"choices":[]} trailing"#, #"{"choices":[]"#,
    #"{"id":"#, "", "   ", "}", "]",
]

@Suite("JSON reader")
struct JSONReaderTests {
    @Test("Walking a document builds what parse builds; skipping members equals removing them from parse's value")
    func walkMatchesParse() throws {
        let skips: [Set<String>] = [[], ["id", "object", "created", "model", "system_fingerprint", "logprobs"], ["choices"], ["x", "delta"], [""]]
        for text in documents {
            let full = try JSONValue.parse(text)
            for skip in skips {
                #expect(try read(text, skipping: skip) == removing(skip, from: full), "\(text) skipping \(skip)")
            }
        }
    }

    @Test("Whatever parse rejects the reader rejects, read or skipped")
    func rejectsWhatParseRejects() {
        var invalidUTF8 = Array(#"{"id":"x","choices":[]}"#.utf8)
        invalidUTF8[7] = 0xFF
        var samples = malformed.map { Array($0.utf8) }
        samples.append(invalidUTF8)
        for sample in samples {
            let text = String(decoding: sample, as: UTF8.self)
            #expect(throws: (any Error).self, "\(text)") { try JSONValue.parse(sample) }
            for skip: Set<String> in [[], ["id", "created", "system_fingerprint", "logprobs", "a", "choices"]] {
                #expect(throws: (any Error).self, "\(text) skipping \(skip)") {
                    var reader = JSONReader(sample)
                    _ = try walk(&reader, skipping: skip)
                    try reader.end()
                }
            }
        }
    }

    @Test("keyIs compares the key as decoded, escaped or not")
    func keyIsComparesDecodedKeys() throws {
        var reader = JSONReader(Array(#"{"choices":1,"cho\u0069ces":2,"":3,"choice":4}"#.utf8))
        try reader.beginObject()
        var seen: [String] = []
        while try reader.nextMember() {
            seen.append("\(reader.keyIs("choices")) \(reader.keyIs("")) \(reader.keyIs("choice"))")
            try reader.skip()
        }
        try reader.end()
        #expect(seen == ["true false false", "true false false", "false true false", "false false true"])
    }

    @Test("The nesting limit holds for skipped values and for containers the caller opens")
    func nestingLimit() throws {
        let deep = #"{"skipped":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        #expect(throws: (any Error).self) { try JSONValue.parse(deep) }
        #expect(throws: (any Error).self) { try read(deep, skipping: ["skipped"]) }
        #expect(throws: (any Error).self) { try read(deep) }
        let fits = #"{"skipped":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect(try read(fits, skipping: ["skipped"]) == .object([]))
        #expect(try read(fits) == JSONValue.parse(fits))
    }
}
