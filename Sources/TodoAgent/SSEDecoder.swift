// MARK: - SSEDecoder

/// A pure Server-Sent Events framer: feed it bytes as they arrive, get each event's `data`.
///
/// Events end at a blank line (`\n\n`, `\r\n\r\n` or `\r\r`); several `data:` lines are joined
/// with `\n`; comments (`:`) and other fields are ignored; an event split across reads is
/// kept until complete. `finish()` returns a last event that had no closing blank line.
public struct SSEDecoder: Sendable {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var sawCR = false
    /// Longest line accepted (bytes); longer input is a protocol violation.
    public let maxLineLength: Int

    /// - Parameter maxLineLength: the longest line accepted, in bytes.
    public init(maxLineLength: Int = 4 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// Consumes bytes and returns the data of every event they complete.
    /// - Parameter bytes: the next bytes of the body.
    /// - Throws: `TodoAgentError.protocolViolation` for an over-long line.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws -> [String] where Bytes.Element == UInt8 {
        var events: [String] = []
        for byte in bytes {
            if sawCR {
                sawCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                sawCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            } else {
                line.append(byte)
                if line.count > maxLineLength {
                    throw TodoAgentError.protocolViolation("an SSE line is longer than \(maxLineLength) bytes")
                }
            }
        }
        return events
    }

    /// The data of an event left open when the stream ended, if any.
    public mutating func finish() -> String? {
        if !line.isEmpty { _ = endLine() }
        return dispatch()
    }

    // MARK: - Lines

    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return nil }
        var start = colon == line.endIndex ? colon : colon + 1
        if start < line.endIndex, line[start] == UInt8(ascii: " ") { start += 1 }
        data.append(String(decoding: line[start...], as: UTF8.self))
        return nil
    }

    private mutating func dispatch() -> String? {
        guard !data.isEmpty else { return nil }
        defer { data.removeAll() }
        return data.joined(separator: "\n")
    }
}
