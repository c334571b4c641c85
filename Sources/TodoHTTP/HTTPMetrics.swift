public import CoreMetrics
import ChatKitProtocol
import Hummingbird
import Synchronization

// MARK: - HTTPMetrics

/// The HTTP face's instruments (requests, ChatKit turns, streams, SSE subscribers), made from the daemon's own
/// metrics factory; `.disabled` records nothing.
public struct HTTPMetrics: Sendable {
    /// Metric names.
    public enum Name {
        /// Requests by `route` (the route template, `unmatched` for none), `method` and `status`, a counter.
        public static let requests = "todod_http_requests_total"
        /// Request latency to the end of the response body, by `route`, `method` and `status`, a histogram.
        public static let requestDuration = "todod_http_request_duration_seconds"
        /// ChatKit turns (streamed answers) by `outcome` (`ok`, `error`, `cancelled`), a counter.
        public static let turns = "todod_chatkit_turns_total"
        /// From the request to the stream's first event, a histogram in seconds.
        public static let firstEvent = "todod_chatkit_first_event_seconds"
        /// From the request to the first assistant text delta, a histogram in seconds.
        public static let firstDelta = "todod_chatkit_first_delta_seconds"
        /// ChatKit streams running now, a gauge.
        public static let activeStreams = "todod_chatkit_active_streams"
        /// `GET /api/events` subscribers connected now, a gauge.
        public static let sseSubscribers = "todod_sse_subscribers"
    }

    let isEnabled: Bool
    private let factory: any MetricsFactory
    private let cache = RequestMetricsCache()
    let firstEvent: CoreMetrics.Timer
    let firstDelta: CoreMetrics.Timer
    let activeStreams: Meter
    let sseSubscribers: Meter

    /// - Parameter factory: where the handles come from.
    public init(factory: any MetricsFactory) {
        self.isEnabled = !(factory is NOOPMetricsHandler)
        self.factory = factory
        firstEvent = CoreMetrics.Timer(label: Name.firstEvent, factory: factory)
        firstDelta = CoreMetrics.Timer(label: Name.firstDelta, factory: factory)
        activeStreams = Meter(label: Name.activeStreams, factory: factory)
        sseSubscribers = Meter(label: Name.sseSubscribers, factory: factory)
    }

    /// Records nothing.
    public static let disabled = HTTPMetrics(factory: NOOPMetricsHandler.instance)

    /// A `GET /api/events` subscriber connected (pair with `subscriberLeft()`).
    func subscriberJoined() { sseSubscribers.increment() }

    /// A `GET /api/events` subscriber went away.
    func subscriberLeft() { sseSubscribers.decrement() }

    /// A ChatKit stream started (pair with `streamEnded()`).
    func streamStarted() { activeStreams.increment() }

    /// A ChatKit stream ended.
    func streamEnded() { activeStreams.decrement() }

    /// Records the time to a turn's first event.
    func firstEventAfter(nanoseconds: Int64) { firstEvent.recordNanoseconds(nanoseconds) }

    /// Records the time to a turn's first text delta.
    func firstDeltaAfter(nanoseconds: Int64) { firstDelta.recordNanoseconds(nanoseconds) }

    /// Counts a finished turn.
    func turnEnded(outcome: String) {
        Counter(label: Name.turns, dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// Counts a request and records its latency.
    func requestEnded(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, nanoseconds: Int64) {
        guard isEnabled else { return }
        let handles = cache.handles(RequestKey(route: route, method: Self.methodLabel(method), status: status.code), factory: factory)
        handles.count.increment()
        handles.duration.recordNanoseconds(nanoseconds)
    }
}

extension HTTPMetrics {
    /// The methods that get a label value of their own; any other method a client sends counts as `other`,
    /// so made-up methods cannot grow the number of series.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"]

    /// The `method` label of a request: its method when known, else `other`.
    /// - Parameter method: the request's method, as sent.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        knownMethods.contains(method.rawValue) ? method.rawValue : "other"
    }
}

/// Nanoseconds since `start`.
func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
    let elapsed = ContinuousClock.now - start
    return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
}

// MARK: - Per-route handles

struct RequestKey: Hashable {
    var route: String
    var method: String
    var status: Int
}

/// The handles of each (route, method, status) seen so far, so a request does not build new ones.
final class RequestMetricsCache: Sendable {
    struct Handles: Sendable {
        let count: Counter
        let duration: CoreMetrics.Timer
    }

    private let handlesByKey = Mutex<[RequestKey: Handles]>([:])

    func handles(_ key: RequestKey, factory: any MetricsFactory) -> Handles {
        if let found = handlesByKey.withLock({ $0[key] }) { return found }
        let dimensions = [("route", key.route), ("method", key.method), ("status", String(key.status))]
        let made = Handles(
            count: Counter(label: HTTPMetrics.Name.requests, dimensions: dimensions, factory: factory),
            duration: CoreMetrics.Timer(label: HTTPMetrics.Name.requestDuration, dimensions: dimensions, factory: factory))
        return handlesByKey.withLock { map in
            if let found = map[key] { return found }
            map[key] = made
            return made
        }
    }
}

// MARK: - Middleware

/// Counts every request by route template and status and records its latency (to the end of the body, so a
/// stream's whole life). Added first, so it sees the answers the error middleware made from thrown errors.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = TodoRequestContext

    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard metrics.isEnabled else { return try await next(request, context) }
        let start = ContinuousClock.now
        let metrics = self.metrics
        let method = request.method
        do {
            var response = try await next(request, context)
            let status = response.status
            let route = context.endpointPath ?? "unmatched"
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                do {
                    try await body.write(writer)
                } catch {
                    metrics.requestEnded(route: route, method: method, status: status, nanoseconds: nanoseconds(since: start))
                    throw error
                }
                metrics.requestEnded(route: route, method: method, status: status, nanoseconds: nanoseconds(since: start))
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.requestEnded(route: context.endpointPath ?? "unmatched", method: method, status: status, nanoseconds: nanoseconds(since: start))
            throw error
        }
    }
}
