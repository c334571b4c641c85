public import ChatKitProtocol

// MARK: - ScriptedEchoResponder

/// A deterministic responder for router tests and `todo-bench chatkit-server`, no LLM involved.
/// Test support only: the shipped `todod` always runs the real agent (CI's conformance run puts the agent
/// in front of a scripted model server instead, `Tests/Browser/scripted_llm.py`).
///
/// It follows the reference server's script (`../shared/chatkit/reference_server.py`, `--delay 0`):
/// - `add <title>` → one `add_task` tool task (started, then finished), then
///   `Added task "<title>" to your list. Anything else?`;
/// - `fail` → an in-band error (`allow_retry: true`); `fail custom` → `Scripted custom error message` (no retry);
/// - anything else → `You said: <text>`.
/// Text is streamed in four deltas (like the reference); a new thread gets its first 40 characters as title.
/// It performs no tool calls for real: the task list is not changed.
public struct ScriptedEchoResponder: Responder {
    /// Delay between deltas, in milliseconds (0 for benchmarks).
    public let deltaDelayMilliseconds: Int

    /// - Parameter deltaDelayMilliseconds: pause before each text delta.
    public init(deltaDelayMilliseconds: Int = 0) {
        self.deltaDelayMilliseconds = deltaDelayMilliseconds
    }

    public func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        let delay = deltaDelayMilliseconds
        let (stream, continuation) = AsyncThrowingStream<ResponderEvent, any Error>.makeStream()
        let task = Task {
            let text = input.message.trimmingWhitespace()
            let lower = text.lowercased()
            var reply: String
            switch lower {
            case "fail":
                continuation.yield(.error(message: "Scripted failure.", allowRetry: true))
                continuation.finish()
                return
            case "fail custom":
                continuation.yield(.error(message: "Scripted custom error message", allowRetry: false))
                continuation.finish()
                return
            default:
                reply = "You said: \(text)"
            }
            if lower.hasPrefix("add ") {
                let title = String(text.dropFirst(4)).trimmingWhitespace()
                let arguments = "{\"title\": \"\(title.replacingQuotes())\"}"
                continuation.yield(.toolStarted(callID: "call_1", name: "add_task", arguments: arguments, title: "add_task"))
                continuation.yield(.toolFinished(callID: "call_1", title: "add_task", result: arguments, isError: false))
                reply = "Added task \"\(title)\" to your list. Anything else?"
            }
            // Like the reference's `_chunks(text, 4)`: four pieces of ceil(count / 4) characters.
            let size = max(1, (reply.count + 3) / 4)
            var rest = Substring(reply)
            while !rest.isEmpty {
                if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
                if Task.isCancelled { break }
                continuation.yield(.textDelta(String(rest.prefix(size))))
                rest = rest.dropFirst(size)
            }
            if input.isNewThread { continuation.yield(.title(String((text.isEmpty ? "New chat" : text).prefix(40)))) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    func replacingQuotes() -> String {
        var out = ""
        for c in self { if c == "\"" || c == "\\" { out.append("\\") }; out.append(c) }
        return out
    }
}
