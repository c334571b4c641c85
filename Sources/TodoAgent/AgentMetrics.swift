public import CoreMetrics

// MARK: - AgentMetrics

/// The agent's instruments (model calls, their errors, tool calls), made from the daemon's own metrics factory;
/// `.disabled` records nothing.
public struct AgentMetrics: Sendable {
    private let factory: any MetricsFactory
    private let modelCalls: CoreMetrics.Timer

    /// Metric names.
    public enum Name {
        /// Model call latency (request to the end of its stream), a histogram in seconds.
        public static let modelCall = "todod_model_call_seconds"
        /// Failed model calls by `kind` (`TodoAgentError.Kind`, or `other`), a counter.
        public static let modelErrors = "todod_model_errors_total"
        /// Tool calls by `tool` and `outcome` (`ok` or `error`), a counter.
        public static let toolCalls = "todod_tool_calls_total"
    }

    /// - Parameter factory: where the handles come from.
    public init(factory: any MetricsFactory) {
        self.factory = factory
        modelCalls = CoreMetrics.Timer(label: Name.modelCall, factory: factory)
    }

    /// Records nothing.
    public static let disabled = AgentMetrics(factory: NOOPMetricsHandler.instance)

    /// A model call streamed to its end.
    /// - Parameter start: when the request was sent.
    func modelCallSucceeded(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        modelCalls.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// A model call failed (a cancelled turn is not a model error and is not counted).
    /// - Parameter error: what it threw.
    func modelCallFailed(_ error: any Error) {
        if error is CancellationError { return }
        let kind = (error as? TodoAgentError)?.kind.rawValue ?? "other"
        Counter(label: Name.modelErrors, dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// A tool call finished.
    /// - Parameters:
    ///   - tool: the tool's name (callers pass `unknown` for a name outside the catalog, keeping labels bounded).
    ///   - isError: whether the tool reported an error.
    func toolCalled(_ tool: String, isError: Bool) {
        Counter(label: Name.toolCalls, dimensions: [("tool", tool), ("outcome", isError ? "error" : "ok")], factory: factory).increment()
    }
}
