import TodoCore

// MARK: - Fuzz check

extension RecordCodec {
    /// The property the fuzz harness and the corpus replay test check for any input:
    /// - decoding never crashes or hangs;
    /// - a line that decodes re-encodes to a line that decodes to the same record, and re-encoding that
    ///   gives the same bytes (the writer's output is canonical);
    /// - the file scanner over the input as a whole file never crashes, and the offset it reports lies
    ///   on a line boundary inside the input.
    /// Violations trap (`precondition`), which libFuzzer records as a crash.
    /// - Parameter input: arbitrary bytes (one line, or a whole file for the scanner).
    public static func fuzzCheck(_ input: [UInt8]) {
        if let record = try? decode(input) {
            let encoded = encode(record)
            precondition(encoded.last == 0x0A, "encoded record must end in a newline")
            let line = encoded.dropLast()
            precondition(!line.contains(0x0A), "encoded record must be one line")
            guard let again = try? decode(line) else { preconditionFailure("re-encoded record does not decode: \(record)") }
            precondition(again == record, "round trip changed the record: \(record) -> \(again)")
            precondition(encode(again) == encoded, "encoding is not canonical")
        }
        // Recovery's lean threads-file decoder accepts exactly the lines the full decoder accepts, with the same ids.
        let full = try? decode(input)
        switch try? input.withUnsafeBufferPointer({ try decodeThreadLine(buffer: $0) }) {
        case nil: precondition(full == nil, "lean thread-line decoder refused a valid line")
        case .record(let record): precondition(full == record, "lean thread-line decoder changed a record")
        case .item(let id, let threadID):
            guard case .item(let item) = full, item.id == id, item.threadID == threadID else { preconditionFailure("lean decoder accepted an item line the full decoder refuses") }
        case .itemDeleted(let id, let threadID): precondition(full == .itemDeleted(id: id, threadID: threadID), "lean decoder changed an item deletion")
        }
        for kind in [FileKind.tasks, .threads] {
            let result = input.withUnsafeBufferPointer { LineScanner.scan($0, kind: kind) { _ in } }
            switch result.outcome {
            case .clean: break
            case .tornTail(let offset, _), .corrupt(let offset, _, _):
                precondition(offset >= 0 && offset <= input.count && (offset == 0 || input[offset - 1] == 0x0A), "scanner offset not on a line boundary")
            }
        }
    }
}
