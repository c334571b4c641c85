import Foundation
import Logging
import Synchronization
import TodoCore
@testable import TodoStore

// MARK: - Helpers shared by the store suites

/// A logger that keeps what it was given, so tests can assert on warnings.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[(Logger.Level, String)]>([])

    func append(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }
    func contains(_ level: Logger.Level, _ fragment: String) -> Bool {
        lines.withLock { $0.contains { $0.0 == level && $0.1.contains(fragment) } }
    }

    var logger: Logger {
        Logger(label: "todo.store.test") { _ in CapturingHandler(sink: self) }
    }
}

struct CapturingHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.append(event.level, "\(event.message) \(event.metadata ?? [:])")
    }
}

let quietLogger = Logger(label: "todo.store.test") { _ in SwiftLogNoOpLogHandler() }

func user(_ name: String) -> UserID { try! UserID(name) }

/// A fresh temp directory path (not created).
func tempPath(_ tag: String) -> String {
    NSTemporaryDirectory() + "todod-store-\(tag)-\(UUID().uuidString.prefix(8))"
}

/// Opens a store on a simulated disk at `/data`.
func openSimulated(_ disk: SimulatedDisk, options: StoreOptions = .init(), clock: any WallClock = ManualWallClock(), logger: Logger = quietLogger) async throws -> Store {
    try await Store.open(directory: "/data", backend: disk, clock: clock, options: options, logger: logger)
}

/// The whole visible state of a store, for equality checks.
struct StoreSnapshot: Equatable, CustomStringConvertible {
    var tasks: [String: [TaskItem]] = [:]
    var threads: [String: [StoredThread]] = [:]
    var items: [String: [String: [StoredItem]]] = [:]

    var description: String {
        "tasks=\(tasks.mapValues { $0.map { "\($0.id):\($0.title):\($0.completed)" } }) threads=\(threads.mapValues { $0.map(\.id) }) items=\(items.mapValues { $0.mapValues { $0.map(\.id) } })"
    }
}

func snapshot(of store: Store, users: [UserID]) async throws -> StoreSnapshot {
    var out = StoreSnapshot()
    for u in users {
        let tasks = try await store.tasks(for: u, filter: .all)
        if !tasks.isEmpty { out.tasks[u.rawValue] = tasks }
        let threads = try await store.threads(for: u, page: PageRequest(limit: 1000, order: .asc)).data
        if !threads.isEmpty { out.threads[u.rawValue] = threads }
        for t in threads {
            let items = try await store.items(threadID: t.id, for: u, page: PageRequest(limit: 1000, order: .asc)).data
            if !items.isEmpty { out.items[u.rawValue, default: [:]][t.id] = items }
        }
    }
    return out
}
