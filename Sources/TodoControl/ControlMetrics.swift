public import CoreMetrics

// MARK: - ControlMetrics

/// The control socket's instruments, made from the daemon's own metrics factory; `.disabled` records nothing.
public struct ControlMetrics: Sendable {
    private let accepted: Counter
    private let open: Meter

    /// Metric names.
    public enum Name {
        /// Connections accepted since start, a counter.
        public static let accepted = "todod_control_connections_total"
        /// Connections open now, a gauge.
        public static let open = "todod_control_connections_open"
    }

    /// - Parameter factory: where the handles come from.
    public init(factory: any MetricsFactory) {
        accepted = Counter(label: Name.accepted, factory: factory)
        open = Meter(label: Name.open, factory: factory)
    }

    /// Records nothing.
    public static let disabled = ControlMetrics(factory: NOOPMetricsHandler.instance)

    /// A connection was accepted (pair with `connectionClosed()`).
    public func connectionOpened() {
        accepted.increment()
        open.increment()
    }

    /// A connection ended.
    public func connectionClosed() {
        open.decrement()
    }
}
