import NIOCore
import Testing
import TodoControl

// MARK: - Framer

@Suite("Control line framer")
struct ControlLineFramerTests {
    func frames(_ chunks: [String], max: Int = 16) throws -> [String] {
        var framer = ControlLineFramer(maxLineBytes: max)
        var buffer = ByteBuffer()
        var out: [String] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let line = try framer.decode(buffer: &buffer) { out.append(String(buffer: line)) }
        }
        return out
    }

    @Test func splitsLinesAcrossChunks() throws {
        #expect(try frames(["ab", "c\nde", "f\r\ng\n"]) == ["abc", "def", "g"])
        #expect(try frames(["\n\n"]) == ["", ""])
    }

    @Test func refusesOverLongLinesEvenWithoutNewline() {
        #expect(throws: ControlError.lineTooLong(limit: 16)) { try frames([String(repeating: "x", count: 40)]) }
        #expect(throws: ControlError.lineTooLong(limit: 16)) { try frames([String(repeating: "x", count: 17) + "\n"]) }
    }

    @Test func acceptsExactlyTheLimit() throws {
        #expect(try frames([String(repeating: "y", count: 16) + "\n"]) == [String(repeating: "y", count: 16)])
        #expect(try frames([String(repeating: "y", count: 16) + "\r\n"]) == [String(repeating: "y", count: 16)])
    }
}
