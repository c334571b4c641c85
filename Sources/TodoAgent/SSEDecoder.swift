#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
        // Contiguous input (a ByteBuffer's view, an array) is scanned a line at a time instead of byte by byte.
        if let events = try bytes.withContiguousStorageIfAvailable({ try feed(buffer: $0) }) { return events }
        return try Array(bytes).withUnsafeBufferPointer { try feed(buffer: $0) }
    }

    private mutating func feed(buffer: UnsafeBufferPointer<UInt8>) throws -> [String] {
        var events: [String] = []
        var i = 0
        let count = buffer.count
        while i < count {
            if sawCR {
                sawCR = false
                if buffer[i] == Self.lf {
                    i += 1
                    continue
                }
            }
            let end = Self.lineEnd(in: buffer, from: i)
            let piece = UnsafeBufferPointer(rebasing: buffer[i..<end])
            guard end < count else {
                // The line goes on in the next read.
                line.append(contentsOf: piece)
                try checkLength()
                break
            }
            sawCR = buffer[end] == Self.cr
            let field: LineField
            if line.isEmpty {
                guard piece.count <= maxLineLength else { throw overLong }
                field = Self.field(of: piece)
            } else {
                line.append(contentsOf: piece)
                try checkLength()
                field = line.withUnsafeBufferPointer { Self.field(of: $0) }
                line.removeAll(keepingCapacity: true)
            }
            switch field {
            case .blank: if let event = dispatch() { events.append(event) }
            case .data(let text): data.append(text)
            case .other: break
            }
            i = end + 1
        }
        return events
    }

    /// The data of an event left open when the stream ended, if any.
    public mutating func finish() -> String? {
        if !line.isEmpty {
            if case .data(let text) = line.withUnsafeBufferPointer({ Self.field(of: $0) }) { data.append(text) }
            line.removeAll()
        }
        return dispatch()
    }

    // MARK: - Lines

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// The index of the first LF or CR at or after `from` (`buffer.count` when none): libc's `memchr`, which
    /// scans a word or a vector at a time, for the LF, then for a CR before it (a lone CR ends lines rarely).
    private static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = buffer.baseAddress, from < buffer.count else { return buffer.count }
        let start = UnsafeRawPointer(base + from)
        var end = buffer.count
        if let found = memchr(start, Int32(Self.lf), buffer.count - from) { end = from + start.distance(to: UnsafeRawPointer(found)) }
        if end > from, let found = memchr(start, Int32(Self.cr), end - from) { end = from + start.distance(to: UnsafeRawPointer(found)) }
        return end
    }

    private var overLong: TodoAgentError { .protocolViolation("an SSE line is longer than \(maxLineLength) bytes") }

    private func checkLength() throws {
        if line.count > maxLineLength { throw overLong }
    }

    /// What one complete line (without its end) says.
    private enum LineField { case blank, data(String), other }

    private static func field(of line: UnsafeBufferPointer<UInt8>) -> LineField {
        guard let first = line.first else { return .blank }
        if first == UInt8(ascii: ":") { return .other }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return .other }
        var start = colon == line.endIndex ? colon : colon + 1
        if start < line.endIndex, line[start] == UInt8(ascii: " ") { start += 1 }
        return .data(String(decoding: UnsafeBufferPointer(rebasing: line[start...]), as: UTF8.self))
    }

    private mutating func dispatch() -> String? {
        guard !data.isEmpty else { return nil }
        defer { data.removeAll() }
        return data.joined(separator: "\n")
    }
}
