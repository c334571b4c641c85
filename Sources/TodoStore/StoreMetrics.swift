public import CoreMetrics

// MARK: - StoreMetrics

/// The file store's instruments: swift-metrics handles made from the daemon's own factory (each daemon has its
/// own registry; nothing here touches `MetricsSystem`). `.disabled` (the default in `StoreOptions`) records
/// nothing. File sizes and live/dead lines are not pushed: the daemon reads them from `stats()` at scrape time.
public struct StoreMetrics: Sendable {
    private let factory: any MetricsFactory
    private let appends: Counter
    private let batches: Counter
    private let bytes: Counter
    private let batchRecords: Recorder
    private let fdatasync: CoreMetrics.Timer

    /// Metric names, for the daemon's bucket settings and for tests.
    public enum Name {
        /// Appends made durable (records), a counter.
        public static let appends = "todod_store_appends_total"
        /// Write + fdatasync batches, a counter.
        public static let batches = "todod_store_batches_total"
        /// Bytes written by those batches, a counter.
        public static let bytes = "todod_store_written_bytes_total"
        /// Records per group-commit batch, a histogram.
        public static let batchRecords = "todod_store_batch_records"
        /// fdatasync latency, a histogram in seconds.
        public static let fdatasync = "todod_store_fdatasync_seconds"
        /// Compactions (rewrites) by file kind, a counter.
        public static let compactions = "todod_store_compactions_total"
    }

    /// - Parameter factory: where the handles come from (the daemon's Prometheus factory).
    public init(factory: any MetricsFactory) {
        self.factory = factory
        appends = Counter(label: Name.appends, factory: factory)
        batches = Counter(label: Name.batches, factory: factory)
        bytes = Counter(label: Name.bytes, factory: factory)
        batchRecords = Recorder(label: Name.batchRecords, dimensions: [], aggregate: true, factory: factory)
        fdatasync = CoreMetrics.Timer(label: Name.fdatasync, factory: factory)
    }

    /// Records nothing.
    public static let disabled = StoreMetrics(factory: NOOPMetricsHandler.instance)

    /// One write + fdatasync batch is durable.
    /// - Parameters:
    ///   - records: the appends it carried.
    ///   - bytes: the bytes it wrote.
    ///   - syncNanoseconds: how long its fdatasync took.
    public func batchDurable(records: Int, bytes: Int, syncNanoseconds: Int64) {
        appends.increment(by: records)
        batches.increment()
        self.bytes.increment(by: bytes)
        batchRecords.record(records)
        fdatasync.recordNanoseconds(syncNanoseconds)
    }

    /// A data file was rewritten to its live records.
    /// - Parameter file: the file's kind (`tasks` or `threads`; never a user's path, to keep the label set small).
    public func compacted(file: String) {
        Counter(label: Name.compactions, dimensions: [("file", file)], factory: factory).increment()
    }
}
