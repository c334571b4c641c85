import Foundation
import TodoCore
@testable import TodoStore

// MARK: - Running a trace and comparing states

/// A store's logical state without random ids: tasks by title, threads and items by id.
struct LogicalState: Equatable, CustomStringConvertible {
    struct Task: Hashable, Comparable {
        var title: String
        var description: String?
        var completed: Bool
        static func < (a: Task, b: Task) -> Bool { a.title < b.title }
    }

    var tasks: [String: [Task]] = [:]
    var threads: [String: [String]] = [:]
    var items: [String: [String]] = [:]

    var description: String { "tasks=\(tasks.mapValues { $0.map { "\($0.title)\($0.completed ? "✓" : "")" } }) threads=\(threads) items=\(items)" }

    static func read(_ store: Store) async throws -> LogicalState {
        var out = LogicalState()
        for u in [user("alice"), user("bob")] {
            let tasks = try await store.tasks(for: u, filter: .all).map { Task(title: $0.title, description: $0.description, completed: $0.completed) }
            if !tasks.isEmpty { out.tasks[u.rawValue] = tasks.sorted() }
            let threads = try await store.threads(for: u, page: PageRequest(limit: 1000, order: .asc)).data
            if !threads.isEmpty { out.threads[u.rawValue] = threads.map(\.id).sorted() }
            for t in threads {
                let items = try await store.items(threadID: t.id, for: u, page: PageRequest(limit: 1000, order: .asc)).data
                if !items.isEmpty { out.items["\(u)/\(t.id)"] = items.map { "\($0.id)=\($0.payload)" } }
            }
        }
        return out
    }

    /// Whether `self` lies between `before` and `after` for a group of concurrent adds: every task of
    /// `before` and every acknowledged add is present, and nothing outside `after` is.
    func isBetween(_ before: LogicalState, _ after: LogicalState, acked: Set<String>) -> Bool {
        guard threads == before.threads, items == before.items else { return false }
        for (u, list) in tasks {
            let allowed = Set(after.tasks[u] ?? [])
            guard Set(list).isSubset(of: allowed) else { return false }
        }
        for (u, list) in before.tasks where !Set(list).isSubset(of: Set(tasks[u] ?? [])) { return false }
        let present = Set(tasks.values.joined().map(\.title))
        return acked.isSubset(of: present)
    }
}

/// What running a trace did.
struct TraceOutcome {
    /// Index of the first operation that failed (== trace count when none did).
    var failedAt: Int
    /// The error of that operation.
    var error: (any Error)?
    /// Titles of acknowledged adds of the failing concurrent group.
    var ackedInFailedGroup: Set<String> = []
    /// Whether any operation after the failure succeeded (must never happen).
    var ackAfterFailure = false
    /// States after each acknowledged op (only when recording).
    var states: [LogicalState] = []
}

/// Runs `trace` against `store`; after the first failure it keeps issuing the remaining operations to
/// check that none is acknowledged.
func run(_ trace: [TraceOp], on store: Store, record: Bool = false) async -> TraceOutcome {
    var outcome = TraceOutcome(failedAt: trace.count)
    if record { outcome.states.append(try! await LogicalState.read(store)) }
    for (k, op) in trace.enumerated() {
        var groupAcks: Set<String> = []
        do {
            try await perform(op, index: k, on: store, groupAcks: &groupAcks)
            if outcome.error != nil { outcome.ackAfterFailure = true }
            if record { outcome.states.append(try await LogicalState.read(store)) }
        } catch {
            if outcome.error == nil {
                outcome.failedAt = k
                outcome.error = error
                outcome.ackedInFailedGroup = groupAcks
            }
            if outcome.failedAt < k, !groupAcks.isEmpty { outcome.ackAfterFailure = true }
        }
    }
    return outcome
}

private func taskID(_ title: String, _ u: UserID, _ store: Store) async throws -> TaskID {
    guard let t = try await store.tasks(for: u, filter: .all).first(where: { $0.title == title }) else {
        throw TodoError.notFound("title \(title)")
    }
    return t.id
}

func perform(_ op: TraceOp, index: Int, on store: Store, groupAcks: inout Set<String>) async throws {
    let at = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)
    switch op {
    case .add(let u, let t, let rid):
        _ = try await store.addTask(TaskDraft(title: t, description: "about \(t)"), for: u, requestID: rid)
    case .concurrentAdds(let u, let titles):
        let results = await withTaskGroup(of: String?.self) { group in
            for t in titles {
                group.addTask { (try? await store.addTask(TaskDraft(title: t), for: u, requestID: nil)) != nil ? t : nil }
            }
            var acked: Set<String> = []
            for await r in group { if let r { acked.insert(r) } }
            return acked
        }
        groupAcks = results
        if results.count != titles.count { throw StoreError.closedStore }
    case .retryAdd(let u, let rid):
        _ = try await store.addTask(TaskDraft(title: "retry-must-not-appear"), for: u, requestID: rid)
    case .rename(let u, let t, let new):
        _ = try await store.updateTask(try await taskID(t, u, store), TaskPatch(title: new), for: u)
    case .complete(let u, let t):
        _ = try await store.setCompleted(try await taskID(t, u, store), for: u)
    case .delete(let u, let t):
        _ = try await store.deleteTask(try await taskID(t, u, store), for: u)
    case .saveThread(let u, let id):
        try await store.saveThread(StoredThread(id: id, createdAt: at, payload: "{\"title\":\"\(id)\"}"), for: u)
    case .saveItem(let u, let thread, let id):
        try await store.saveItem(StoredItem(id: id, threadID: thread, createdAt: at, payload: "{\"v\":\"\(id)-\(index)\"}"), for: u)
    case .deleteItem(let u, let thread, let id):
        try await store.deleteItem(id, threadID: thread, for: u)
    case .deleteThread(let u, let id):
        try await store.deleteThread(id, for: u)
    case .compact:
        _ = try await store.compact()
    }
}
