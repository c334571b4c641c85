import Foundation
import TodoControl
import TodoCore

// MARK: - Output

/// Printing for todoctl: human tables by default, JSON with `--json`, messages on stderr.
enum Output {
    /// Writes `text` and a newline to stdout.
    static func out(_ text: String) { write(1, text.hasSuffix("\n") ? text : text + "\n") }

    /// Writes `text` and a newline to stderr.
    static func err(_ text: String) { write(2, text.hasSuffix("\n") ? text : text + "\n") }

    private static func write(_ fd: Int32, _ text: String) {
        let handle = fd == 1 ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }

    /// One JSON document (compact, sorted keys) on stdout.
    static func json(_ value: some Encodable, pretty: Bool = false) throws {
        out(try jsonText(value, pretty: pretty))
    }

    static func jsonText(_ value: some Encodable, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `2026-11-22 02:10` (UTC).
    static func shortTime(_ t: Timestamp) -> String {
        let text = t.rfc3339
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

    // MARK: Errors

    /// The message for a control error; a missing daemon also says how to start one.
    static func describe(_ error: ControlError) -> String {
        if error.isDaemonNotRunning {
            return """
                todoctl: \(error.message)
                Start the daemon with `todod` (or `systemctl --user start todod`, or `systemctl start todod` for the \
                system service), or point todoctl at its socket with --socket PATH / TODOD_CONTROL_SOCKET.
                """
        }
        if let rpc = error.rpcError, rpc.code == RPCError.forbiddenCode {
            return "todoctl: \(rpc.message)"
        }
        if let rpc = error.rpcError {
            var text = "todoctl: error: \(rpc.message)"
            if let field = rpc.data?.field, !rpc.message.contains(field) { text += " (field: \(field))" }
            return text
        }
        return "todoctl: \(error.message)"
    }
}
