import ChatKitProtocol
import Hummingbird
import NIOCore
import Synchronization

// MARK: - ChatKit turn instruments

extension ChatKitStream {
    /// This stream, counting the turn (by outcome) and the active streams, and recording the time from `start`
    /// to its first event and to its first assistant text delta. Unchanged when metrics are off.
    func instrumented(_ metrics: HTTPMetrics, since start: ContinuousClock.Instant) -> ChatKitStream {
        guard metrics.isEnabled else { return self }
        let run = self.run
        return ChatKitStream { emit in
            let probe = TurnProbe(metrics: metrics, start: start)
            metrics.streamStarted()
            defer { metrics.streamEnded() }
            await run { event in
                probe.observe(event)
                emit(event)
            }
            metrics.turnEnded(outcome: Task.isCancelled ? "cancelled" : probe.failed ? "error" : "ok")
        }
    }
}

/// Watches one turn's events: the first event, the first text delta, and whether an error event went out.
final class TurnProbe: Sendable {
    private struct State {
        var sawEvent = false
        var sawDelta = false
        var failed = false
    }

    private let metrics: HTTPMetrics
    private let start: ContinuousClock.Instant
    private let state = Mutex(State())

    init(metrics: HTTPMetrics, start: ContinuousClock.Instant) {
        self.metrics = metrics
        self.start = start
    }

    var failed: Bool { state.withLock { $0.failed } }

    func observe(_ event: JSONValue) {
        let (first, delta) = state.withLock { s -> (Bool, Bool) in
            let first = !s.sawEvent
            s.sawEvent = true
            let type = event["type"]?.stringValue
            if type == "error" { s.failed = true }
            guard !s.sawDelta, type == "thread.item.updated",
                  event["update"]?["type"]?.stringValue == "assistant_message.content_part.text_delta" else { return (first, false) }
            s.sawDelta = true
            return (first, true)
        }
        // The clock is read only for the two events that are timed, not for every event of the turn.
        guard first || delta else { return }
        let elapsed = nanoseconds(since: start)
        if first { metrics.firstEventAfter(nanoseconds: elapsed) }
        if delta { metrics.firstDeltaAfter(nanoseconds: elapsed) }
    }
}

// MARK: - GET /metrics

extension HTTPServer {
    /// `GET /metrics`: the Prometheus text format (0.0.4) from `exposition`; no token (loopback and the Host
    /// check protect it like every route). Empty when the daemon passed no exposition.
    static func addMetricsRoute(to router: Router<TodoRequestContext>, exposition: (@Sendable () async -> [UInt8])?) {
        router.get("/metrics") { _, _ -> Response in
            let bytes = await exposition?() ?? []
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
