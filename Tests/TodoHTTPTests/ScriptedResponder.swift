import Glibc
import ChatKitProtocol

// MARK: - ScriptedResponder

/// A responder that replays a fixed list of events (optionally slowly, optionally ending with a thrown error or
/// waiting until it is cancelled), and records the inputs it was called with.
struct ScriptedResponder: Responder {
    struct Failure: Error {}
    let events: [ResponderEvent]
    var delayMilliseconds = 0
    var throwsAtEnd = false
    /// After the events, wait (up to an hour) until cancelled instead of finishing.
    var hangsAtEnd = false
    let inputs = InputLog()

    func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        inputs.append(input)
        let (stream, continuation) = AsyncThrowingStream<ResponderEvent, any Error>.makeStream()
        let events = self.events, delay = delayMilliseconds, fail = throwsAtEnd, hang = hangsAtEnd
        let task = Task {
            for event in events {
                if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
                if Task.isCancelled { inputs.markCancelled(); continuation.finish(); return }
                continuation.yield(event)
            }
            if hang {
                try? await Task.sleep(for: .seconds(3600))
                if Task.isCancelled { inputs.markCancelled() }
            }
            if fail { continuation.finish(throwing: Failure()) } else { continuation.finish() }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// Thread-safe record of responder calls.
final class InputLog: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var inputs: [ResponderInput] = []
    private var cancelled = false
    init() { pthread_mutex_init(&lock, nil) }
    func append(_ i: ResponderInput) { pthread_mutex_lock(&lock); inputs.append(i); pthread_mutex_unlock(&lock) }
    func markCancelled() { pthread_mutex_lock(&lock); cancelled = true; pthread_mutex_unlock(&lock) }
    var all: [ResponderInput] { pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }; return inputs }
    var wasCancelled: Bool { pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }; return cancelled }
}
