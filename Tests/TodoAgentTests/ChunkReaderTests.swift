import ChatKitProtocol
import Foundation
import Testing
@testable import TodoAgent

// MARK: - Chunk(reading:) against the rules it replaced: a whole JSONValue, then its members

extension Chunk {
    /// The reference: the chunk decoded from a fully parsed `JSONValue`, as todod did before `JSONReader`.
    init(reference json: JSONValue) throws {
        guard case .object = json else { throw ChunkShapeError() }
        var empty = JSONReader(Array("{}".utf8))
        self = try Chunk(reading: &empty)
        choices = try Self.array(json["choices"]).map(Choice.init(reference:))
        if let usage = try Self.object(json["usage"]) {
            self.usage = (try Self.int(usage["prompt_tokens"]), try Self.int(usage["completion_tokens"]))
        }
        if let error = try Self.object(json["error"]) { errorMessage = try Self.string(error["message"]) }
    }

    static func array(_ value: JSONValue?) throws -> [JSONValue] {
        guard let value = present(value) else { return [] }
        guard let array = value.arrayValue else { throw ChunkShapeError() }
        return array
    }
}

extension Choice {
    init(reference json: JSONValue) throws {
        guard case .object = json else { throw ChunkShapeError() }
        var empty = JSONReader(Array("{}".utf8))
        self = try Choice(reading: &empty)
        index = try Chunk.int(json["index"])
        finishReason = try Chunk.string(json["finish_reason"])
        if let delta = try Chunk.object(json["delta"]) {
            content = try Chunk.string(delta["content"])
            if let text = delta["reasoning_content"]?.stringValue, !text.isEmpty {
                reasoning = text
            } else if let text = delta["reasoning"]?.stringValue, !text.isEmpty {
                reasoning = text
            }
            toolCalls = try Chunk.array(delta["tool_calls"]).map(CallDelta.init)
        }
    }
}

/// What a payload decodes to (every field, by reflection), or "error".
private func decoded(_ payload: String, byReader: Bool) -> String {
    do {
        if byReader {
            var reader = JSONReader(Array(payload.utf8))
            return String(describing: try Chunk(reading: &reader))
        }
        return String(describing: try Chunk(reference: JSONValue.parse(payload)))
    } catch {
        return "error"
    }
}

/// Shapes beyond the fixtures: nulls, wrong types, repeated and escaped keys, reasoning of odd types, errors.
private let edgeCases: [String] = [
    #"{"choices":null,"usage":null,"error":null}"#,
    #"{"choices":[{"index":null,"delta":null,"finish_reason":null}]}"#,
    #"{"choices":[{"index":"0"}]}"#, #"{"choices":[{"finish_reason":1}]}"#, #"{"choices":[{"delta":[]}]}"#,
    #"{"choices":[{"delta":{"content":5}}]}"#, #"{"choices":[{"delta":{"tool_calls":{}}}]}"#,
    #"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"add_task","arguments":{"title":"x"}}}]}}]}"#,
    #"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":7}}]}}]}"#,
    #"{"choices":{}}"#, #"{"choices":[1]}"#, #"[]"#, #""x""#, "null",
    #"{"choices":[{"delta":{"content":"first"}}],"choices":[{"delta":{"content":"second"}}]}"#,
    #"{"choices":[{"index":1,"index":0,"delta":{"content":"a","content":"b"},"delta":{"content":"c"}}]}"#,
    #"{"cho\u0069ces":[{"d\u0065lta":{"c\u006Fntent":"escaped keys"}}]}"#,
    #"{"choices":[{"delta":{"reasoning_content":"","reasoning":"plain"}}]}"#,
    #"{"choices":[{"delta":{"reasoning_content":5,"reasoning":"plain"}}]}"#,
    #"{"choices":[{"delta":{"reasoning_content":null,"reasoning_content":"second","reasoning":"plain"}}]}"#,
    #"{"choices":[{"delta":{"reasoning":{"text":"x"}}}]}"#,
    #"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3.0}}"#, #"{"usage":{"prompt_tokens":"12"}}"#,
    #"{"error":{"message":"overloaded"}}"#, #"{"error":"overloaded"}"#, #"{"error":{"message":1}}"#,
    #"{"choices":[{"delta":{"content":"ok"}}],"id":"unterminated}"#, #"{"choices":[]} trailing"#,
    #"{"choices":[{"delta":{"content":"ok"}}],"logprobs":[1,]}"#,
]

@Suite("Stream chunks read with JSONReader")
struct ChunkReaderTests {
    @Test("Every payload of every fixture, the real streams and the edge cases decodes as the full parse decoded it")
    func readerMatchesReference() throws {
        var payloads = edgeCases
        for name in StreamFixtures.names { payloads += try StreamFixtures.payloads(name).filter { $0 != "[DONE]" } }
        for stream in [RealStreams.openAIFragmented, RealStreams.ollamaSingleChunk] {
            payloads += stream.components(separatedBy: "\n\n").compactMap { $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : nil }
                .filter { $0 != "[DONE]" }
        }
        #expect(payloads.count > 60)
        var errors = 0
        for payload in payloads {
            let reference = decoded(payload, byReader: false)
            #expect(decoded(payload, byReader: true) == reference, "\(payload)")
            if reference == "error" { errors += 1 }
        }
        #expect(errors >= 10, "the edge cases include payloads both decoders refuse")
    }
}
