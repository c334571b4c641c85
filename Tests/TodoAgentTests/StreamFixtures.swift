import Foundation
@testable import TodoAgent

// MARK: - Recorded stream shapes of the common servers (Fixtures/streams/*.sse)

/// The `.sse` fixtures beside this file: chat-completions streams in the shapes Ollama, llama.cpp, vLLM,
/// LM Studio and DeepSeek/Qwen send (see Fixtures/streams/README.md). Read from the source tree.
enum StreamFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/streams")

    /// Every fixture's name (without `.sse`), sorted.
    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".sse") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// The raw bytes of a fixture (CRLF kept where the recording has it).
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name + ".sse")))
    }

    /// The `data:` payloads of a fixture in order, `[DONE]` included when it has one (to replay from a
    /// scripted server with `done: false`).
    static func payloads(_ name: String) throws -> [String] {
        String(decoding: try bytes(name), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n").compactMap { frame in frame.hasPrefix("data: ") ? String(frame.dropFirst(6)) : nil }
    }

    /// Runs the SSE decoder and the accumulator over a fixture delivered in pieces of `step` bytes.
    static func parse(_ name: String, step: Int) throws -> (events: [LLMStreamEvent], acc: ChatStreamAccumulator) {
        var sse = SSEDecoder()
        var acc = ChatStreamAccumulator()
        var events: [LLMStreamEvent] = []
        let bytes = try bytes(name)
        var i = 0
        while i < bytes.count {
            for data in try sse.feed(bytes[i..<min(i + step, bytes.count)]) { events += try acc.consume(data) }
            i += step
        }
        if let tail = sse.finish() { events += try acc.consume(tail) }
        return (events, acc)
    }

    /// Piece sizes: every size from 1 to 64 bytes, a few larger ones and the whole stream at once.
    static let steps = Array(1...64) + [97, 256, 1000, 1 << 20]
}
