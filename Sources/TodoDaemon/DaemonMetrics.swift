import CoreMetrics
public import Prometheus
import TodoAgent
import TodoControl
import TodoHTTP
import TodoStore

// MARK: - DaemonMetrics

/// One daemon's metrics: its own `PrometheusCollectorRegistry` (several daemons share a test process, so nothing
/// goes through `MetricsSystem.bootstrap`) and the swift-metrics factory over it that the composition root hands
/// to the store, the HTTP face, the agent and the control server. `GET /metrics` and `todoctl status` read the
/// same registry.
public final class DaemonMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let store: StoreMetrics
    let http: HTTPMetrics
    let agent: AgentMetrics
    let control: ControlMetrics

    /// Metric names set here (the rest are named by the parts that record them).
    public enum Name {
        /// Unix time the daemon started, a gauge.
        public static let startTime = "todod_process_start_time_seconds"
        /// 1, labelled with `version`, a gauge.
        public static let buildInfo = "todod_build_info"
        /// Bytes in the data files by `file` kind (`tasks`, `threads`), read at scrape time, a gauge.
        public static let fileBytes = "todod_store_file_bytes"
        /// Data-file lines by `file` kind and `state` (`live`, `dead`), read at scrape time, a gauge.
        public static let lines = "todod_store_lines"
    }

    /// - Parameters:
    ///   - version: todod's version (the `todod_build_info` label).
    ///   - startTime: Unix seconds at start.
    public init(version: String, startTime: Double) {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast = Self.buckets(microseconds: [100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
                                               1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000])
        factory.durationHistogramBuckets = [
            HTTPMetrics.Name.requestDuration: fast,
            HTTPMetrics.Name.firstEvent: fast,
            HTTPMetrics.Name.firstDelta: fast,
            AgentMetrics.Name.modelCall: Self.buckets(microseconds: [1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
                                                                     1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000]),
            StoreMetrics.Name.fdatasync: Self.buckets(microseconds: [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000,
                                                                     100_000, 250_000, 1_000_000]),
        ]
        factory.valueHistogramBuckets = [StoreMetrics.Name.batchRecords: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]]
        self.factory = factory
        store = StoreMetrics(factory: factory)
        http = HTTPMetrics(factory: factory)
        agent = AgentMetrics(factory: factory)
        control = ControlMetrics(factory: factory)
        Gauge(label: Name.startTime, factory: factory).record(startTime)
        Gauge(label: Name.buildInfo, dimensions: [("version", version)], factory: factory).record(1)
    }

    private static func buckets(microseconds: [Int64]) -> [Duration] {
        microseconds.map { .microseconds($0) }
    }

    /// The Prometheus text: first the file sizes and line counts from `store.stats()` (collected now, not pushed).
    /// - Parameter store: the daemon's store (PostgreSQL reports no files, so those gauges stay absent).
    func exposition(store: any DataStore) async -> [UInt8] {
        if let files = try? await store.stats().files {
            for file in files {
                Gauge(label: Name.fileBytes, dimensions: [("file", file.file)], factory: factory).record(file.bytes)
                Gauge(label: Name.lines, dimensions: [("file", file.file), ("state", "live")], factory: factory).record(file.liveLines)
                Gauge(label: Name.lines, dimensions: [("file", file.file), ("state", "dead")], factory: factory)
                    .record(max(0, file.lines - file.liveLines))
            }
        }
        return registry.emitToBuffer()
    }

    /// The headline figures `todoctl status` shows, read back from the registry's own text.
    func headline() -> [StatusFigure] {
        let samples = MetricSamples(text: registry.emitToString())
        let appends = samples.sum(StoreMetrics.Name.appends)
        let batches = samples.sum(StoreMetrics.Name.batches)
        return [
            StatusFigure(name: "chat turns", value: samples.sum(HTTPMetrics.Name.turns)),
            StatusFigure(name: "first event p50", value: samples.median(HTTPMetrics.Name.firstEvent).map { $0 * 1000 }, unit: "ms"),
            StatusFigure(name: "first delta p50", value: samples.median(HTTPMetrics.Name.firstDelta).map { $0 * 1000 }, unit: "ms"),
            StatusFigure(name: "http requests", value: samples.sum(HTTPMetrics.Name.requests)),
            StatusFigure(name: "store appends", value: appends),
            StatusFigure(name: "store syncs", value: batches),
            StatusFigure(name: "batch mean", value: batches > 0 ? appends / batches : nil),
        ]
    }
}
