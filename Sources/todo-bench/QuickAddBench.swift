import Foundation
import TodoCore

// MARK: - Quick-add parse time

/// Parses a set of quick-add lines `runs` times in total and prints the time per line (p50/p99 over batches).
/// - Parameters:
///   - runs: lines parsed in total.
///   - context: the clock reading and zone.
func runQuickAddBench(runs: Int, context: DateContext) throws {
    let lines = [
        "Pay rent every month on the 1st p1 @bills #home",
        "Call mum tomorrow at 5pm",
        "Dentist next friday 9:30am @health",
        "Stand-up notes every weekday at 9 #Work p3",
        "Renew passport jan 5",
        "Buy milk",
    ]
    var perLine: [Double] = []
    let batches = max(1, runs / lines.count / 10)
    for _ in 0..<batches {
        let start = ContinuousClock.now
        for _ in 0..<10 { for line in lines { _ = try QuickAdd.parse(line, in: context) } }
        perLine.append(seconds(ContinuousClock.now - start) * 1_000_000 / Double(10 * lines.count))
    }
    perLine.sort()
    print(String(format: "quick-add parse: %d lines, p50 %.1f µs/line, p99 %.1f µs/line (batches of %d)", batches * 10 * lines.count,
                 perLine[perLine.count / 2], perLine[min(perLine.count - 1, Int(Double(perLine.count) * 0.99))], 10 * lines.count))
}
