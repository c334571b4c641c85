public import NIOCore

// MARK: - Framer

/// Splits a byte stream into `\n`-terminated lines (a trailing `\r` is dropped) and refuses any line longer
/// than `maxLineBytes`, as soon as that many bytes are buffered without a newline.
///
/// Throws `ControlError.lineTooLong`; the server answers with an error and closes that connection only.
public struct ControlLineFramer: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The longest accepted line, without the newline.
    public let maxLineBytes: Int
    private var scanned = 0

    /// - Parameter maxLineBytes: the longest accepted line.
    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let view = buffer.readableBytesView
        if let newline = view.dropFirst(scanned).firstIndex(of: UInt8(ascii: "\n")) {
            var length = newline - view.startIndex
            scanned = 0
            guard length <= maxLineBytes + 1 else { throw ControlError.lineTooLong(limit: maxLineBytes) }
            if length > 0, view[newline - 1] == UInt8(ascii: "\r") { length -= 1 }
            let line = buffer.getSlice(at: buffer.readerIndex, length: length)
            buffer.moveReaderIndex(to: newline + 1)
            guard let line, line.readableBytes <= maxLineBytes else { throw ControlError.lineTooLong(limit: maxLineBytes) }
            return line
        }
        scanned = view.count
        if scanned > maxLineBytes + 1 { throw ControlError.lineTooLong(limit: maxLineBytes) }
        return nil
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let line = try decode(buffer: &buffer) { return line }
        // A final line without a newline still counts (`printf '{...}' | socat`).
        guard buffer.readableBytes > 0 else { return nil }
        scanned = 0
        return buffer.readSlice(length: buffer.readableBytes)
    }
}
