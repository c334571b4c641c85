import Testing
@testable import TodoAgent

// MARK: - SSEDecoder: line-at-a-time scanning gives what byte-at-a-time framing gave

@Suite("SSE decoder")
struct SSEDecoderTests {
    /// Mixed line ends (LF, CRLF, CR), comments, other fields, multi-line data, a `data` field without a
    /// space or a colon, and an unterminated last event.
    private static let stream = ": hello\r\ndata: one\n\ndata:two\r\ndata\r\n\r\nevent: x\rdata: three\r\rid: 7\ndata: é ü\n\n"
        + "data: {\"a\":1}\r\n\r\ndata: last"

    private static let expected = ["one", "two\n", "three", "é ü", "{\"a\":1}"]

    /// Feeds `bytes` in pieces of `step` bytes; `contiguous` false passes a lazy sequence (no contiguous storage).
    private func decode(_ bytes: [UInt8], step: Int, contiguous: Bool, maxLine: Int = 4 << 20) throws -> [String] {
        var sse = SSEDecoder(maxLineLength: maxLine)
        var out: [String] = []
        var i = 0
        while i < bytes.count {
            let piece = bytes[i..<min(i + step, bytes.count)]
            out += contiguous ? try sse.feed(piece) : try sse.feed(piece.lazy.map { $0 })
            i += step
        }
        if let tail = sse.finish() { out.append(tail) }
        return out
    }

    @Test("Every split of the input, contiguous or not, frames the same events", arguments: [1, 2, 3, 5, 8, 13, 1000])
    func splits(step: Int) throws {
        let bytes = Array(Self.stream.utf8)
        #expect(try decode(bytes, step: step, contiguous: true) == Self.expected + ["last"])
        #expect(try decode(bytes, step: step, contiguous: false) == Self.expected + ["last"])
    }

    @Test("A CR at the end of one read and its LF at the start of the next make one line end")
    func crlfAcrossReads() throws {
        var sse = SSEDecoder()
        #expect(try sse.feed(Array("data: a\r".utf8)).isEmpty)
        #expect(try sse.feed(Array("\n\r".utf8)) == ["a"])
        #expect(try sse.feed(Array("\ndata: b\n\n".utf8)) == ["b"])
        #expect(sse.finish() == nil)
    }

    @Test("A line longer than the limit is a protocol violation, within one read or across reads", arguments: [1, 4, 1000])
    func overLongLine(step: Int) throws {
        let bytes = Array("data: 0123456789abcdef\n\n".utf8)
        #expect(throws: TodoAgentError.self) { try decode(bytes, step: step, contiguous: true, maxLine: 16) }
        #expect(try decode(bytes, step: step, contiguous: true, maxLine: 22) == ["0123456789abcdef"])
    }
}
