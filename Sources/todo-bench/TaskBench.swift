import Foundation
import Logging
import TodoCore
import TodoStore

// MARK: - todo-bench tasks

/// Task model figures: filtered lists over 100,000 version 2 tasks through `Store.tasks(for:query:context:)`
/// (the call every surface makes in the daemon), p50/p99 per query, and quick-add parse time per line.
/// - Parameters:
///   - directory: a scratch directory.
///   - quick: 10,000 tasks and fewer repetitions.
func runTaskBench(directory: String, quick: Bool) async throws {
    let logger = Logger(label: "todo.bench") { _ in SwiftLogNoOpLogHandler() }
    let count = quick ? 10_000 : 100_000
    let data = directory + "/data"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try? FileManager.default.removeItem(atPath: data)
    try await seedVersion2(data, tasks: count)
    let store = try await Store.open(directory: data, logger: logger)
    let user = try UserID("bench")
    let context = DateContext(now: benchNow, zone: try DateContext.zone(named: "Europe/Berlin"))
    let queries: [(String, TaskQuery)] = [
        ("all, created order", TaskQuery()),
        ("Today view (pending, overdue or today, by due)", TaskQuery(view: .today)),
        ("Upcoming view", TaskQuery(view: .upcoming)),
        ("label @work, by priority", TaskQuery(label: "work", sort: .priority)),
        ("project Home, next 7 days", TaskQuery(due: .next7Days, project: "home")),
        ("text search \"invoice\"", TaskQuery(text: "invoice")),
        ("p1, pending, limit 50", TaskQuery(status: .pending, priority: 1, sort: .due, limit: 50)),
    ]
    let runs = quick ? 20 : 100
    print("tasks benchmark: \(count) version 2 tasks for one user, \(runs) runs per query (p50 goal < 5 ms)")
    for (label, query) in queries {
        var times: [Double] = []
        var matched = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            matched = try await store.tasks(for: user, query: query, context: context).count
            times.append(seconds(ContinuousClock.now - start) * 1000)
        }
        times.sort()
        print("  " + label.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: " %6d matches  p50 %7.2f ms  p99 %7.2f ms", matched, times[times.count / 2],
                     times[min(times.count - 1, Int(Double(times.count) * 0.99))]))
    }
    await store.close()
    try runQuickAddBench(runs: quick ? 2_000 : 20_000, context: context)
}

/// A fixed "now" for seeded data and queries: Monday 30 November 2026, 10:00 UTC.
let benchNow = Timestamp(rfc3339: "2026-11-30T10:00:00Z")!

/// Writes `tasks` version 2 tasks for user `bench` through the store's import (one durable rewrite): due dates
/// spread over ±60 days (a third timed), priorities, labels, projects, some recurring, some done.
/// - Parameters:
///   - directory: the data directory to create.
///   - tasks: how many.
func seedVersion2(_ directory: String, tasks: Int) async throws {
    let logger = Logger(label: "todo.bench") { _ in SwiftLogNoOpLogHandler() }
    let store = try await Store.open(directory: directory, logger: logger)
    var rng = SystemRandomNumberGenerator()
    let today = LocalDate(year: 2026, month: 11, day: 30)!
    let labels = ["work", "home", "errand", "call", "health", "bills"]
    let projects = ["Home", "Work", "Garden", "Taxes", nil]
    let items = (0..<tasks).map { i -> TaskItem in
        var t = TaskItem(id: TaskID.random(using: &rng), title: i % 17 == 0 ? "Send invoice \(i)" : "Benchmark task \(i)",
                         description: i % 3 == 0 ? "some description \(i)" : nil, completed: i % 5 == 0, createdAt: benchNow, updatedAt: benchNow)
        if i % 4 != 3 {
            let day = today.adding(days: i % 121 - 60)
            t.due = i % 3 == 0 ? .dateTime(day, secondOfDay: 9 * 3600 + (i % 8) * 1800, offsetSeconds: 3600) : .date(day)
        }
        t.priority = i % 5 == 4 ? nil : i % 4 + 1
        t.labels = [labels[i % labels.count]] + (i % 7 == 0 ? [labels[(i + 1) % labels.count]] : [])
        t.labels.sort()
        t.project = projects[i % projects.count]
        if i % 50 == 0, t.due != nil { t.recurrence = Recurrence(.weekly).anchored(to: t.due!.date); t.timeZone = "Europe/Berlin" }
        if t.completed { t.completedAt = benchNow }
        return t
    }
    _ = try await store.importAll(ExportDocument(exportedAt: benchNow, users: [ExportedUser(user: try UserID("bench"), tasks: items)]))
    await store.close()
}
