// MARK: - Reading the exposition back

/// Samples parsed from Prometheus text (what `DaemonMetrics` itself rendered): enough for sums and a histogram
/// median, for `todoctl status`.
struct MetricSamples {
    /// (name, labels text, value) of every sample line.
    private var samples: [(name: Substring, labels: Substring, value: Double)] = []

    init(text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            if let brace = series.firstIndex(of: "{") {
                samples.append((series[..<brace], series[brace...], value))
            } else {
                samples.append((series, "", value))
            }
        }
    }

    /// The sum of every series of `name` (0 when absent).
    func sum(_ name: String) -> Double {
        samples.reduce(0) { $1.name == name ? $0 + $1.value : $0 }
    }

    /// The median of histogram `name` over all its series, interpolated within the bucket as Prometheus's
    /// `histogram_quantile` does; nil without observations.
    func median(_ name: String) -> Double? {
        var cumulative: [Double: Double] = [:]
        let bucket = name + "_bucket"
        for sample in samples where sample.name == bucket {
            guard let le = Self.le(sample.labels) else { continue }
            cumulative[le, default: 0] += sample.value
        }
        let bounds = cumulative.keys.sorted()
        guard let total = bounds.last.flatMap({ cumulative[$0] }), total > 0 else { return nil }
        let rank = total / 2
        var lower = 0.0
        var below = 0.0
        for bound in bounds {
            let count = cumulative[bound] ?? 0
            if count >= rank {
                if bound == .infinity { return lower }
                let inBucket = count - below
                return inBucket > 0 ? lower + (bound - lower) * (rank - below) / inBucket : bound
            }
            lower = bound
            below = count
        }
        return lower
    }

    /// The `le` label's bound (`+Inf` is infinity).
    private static func le(_ labels: Substring) -> Double? {
        guard let start = labels.firstRange(of: "le=\"") else { return nil }
        let rest = labels[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let text = rest[..<end]
        return text == "+Inf" ? .infinity : Double(text)
    }
}
