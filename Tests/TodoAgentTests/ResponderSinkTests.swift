import ChatKitProtocol
import Synchronization
import Testing
import TodoAgent
import TodoCore
import TodoTesting

// MARK: - Responder.respond(to:into:): the same events as the stream, in the caller's task

@Suite("Responder sink")
struct ResponderSinkTests {
    /// Collects the events a sink receives; answers `keepGoing(count)` after each.
    final class Collector: Sendable {
        private let received = Mutex<[ResponderEvent]>([])
        private let keepGoing: @Sendable (Int) -> Bool

        init(keepGoing: @escaping @Sendable (Int) -> Bool = { _ in true }) {
            self.keepGoing = keepGoing
        }

        var events: [ResponderEvent] { received.withLock { $0 } }

        var sink: ResponderSink {
            { event in
                let count = self.received.withLock { list -> Int in
                    list.append(event)
                    return list.count
                }
                return self.keepGoing(count)
            }
        }
    }

    /// A responder with only the stream form: three deltas.
    struct ThreeDeltas: Responder {
        func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
            AsyncThrowingStream { continuation in
                for text in ["a", "b", "c"] { continuation.yield(.textDelta(text)) }
                continuation.finish()
            }
        }
    }

    private let input = ResponderInput(user: try! UserID("alice"), threadID: "thr_test", isNewThread: true, history: [], message: "Hi, plan my week")

    @Test("The agent hands the sink the events its stream yields, in order")
    func agentSinkMatchesStream() async throws {
        let f = try await AgentFixture.make()
        let script: [ScriptedLLMServer.Reply] = [.stream(ScriptedLLM.text(["Hello", " there", "!"]))]
        let first = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence(script))
        defer { Task { await first.stop() } }
        let streamed = try await f.turn(f.responder(first), input.message, isNew: true)

        let second = try await ScriptedLLMServer.start(script: AgentResponderTests.sequence(script))
        defer { Task { await second.stop() } }
        let collector = Collector()
        try await f.responder(second).respond(to: input, into: collector.sink)
        #expect(collector.events == streamed)
        #expect(collector.events == [.textDelta("Hello"), .textDelta(" there"), .textDelta("!"), .replyFinished, .title("Hi, plan my week")])
    }

    @Test("A stream-only responder drains into the sink, and stops when the sink wants no more")
    func defaultDrainStops() async throws {
        let all = Collector()
        try await ThreeDeltas().respond(to: input, into: all.sink)
        #expect(all.events == [.textDelta("a"), .textDelta("b"), .textDelta("c")])

        let firstOnly = Collector(keepGoing: { $0 < 1 })
        try await ThreeDeltas().respond(to: input, into: firstOnly.sink)
        #expect(firstOnly.events == [.textDelta("a")])
    }
}
