import Synchronization
import TodoControl
import TodoCore

// MARK: - Fake handler

/// An in-memory handler: enough of the task methods to exercise the server and the client.
final class FakeControlHandler: ControlHandler {
    private let tasks = Mutex<[TaskItem]>([])
    private let subscribers = Mutex<[AsyncStream<TaskChange>.Continuation]>([])
    /// How long each request takes (to test draining).
    let delay: Duration

    /// How many requests have reached the handler so far.
    var requestsStarted: Int { started.withLock { $0 } }
    private let started = Mutex(0)

    init(delay: Duration = .zero) { self.delay = delay }

    func handle(_ request: ControlRequest, from peer: ControlPeer) async -> ControlReply {
        started.withLock { $0 += 1 }
        if delay > .zero { try? await Task.sleep(for: delay) }
        let now = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)
        switch request {
        case .addTask(let p):
            guard let title = try? TaskRules.title(p.title ?? "") else { return .failure(.invalidParams(field: "title", "title must not be empty")) }
            let task = TaskItem(id: TaskID.random(), title: title, description: p.description, completed: false, createdAt: now, updatedAt: now)
            tasks.withLock { $0.append(task) }
            let change = TaskChange(kind: .created, user: peer.user, task: task)
            for s in subscribers.withLock({ $0 }) { s.yield(change) }
            return .result(task)
        case .listTasks(let p):
            let filter = p.status ?? .all
            return .result(TaskListResult(tasks: tasks.withLock { $0 }.filter(filter.matches)))
        case .getTask(let p):
            guard let task = tasks.withLock({ $0.first { $0.id == p.id } }) else {
                return .failure(RPCError(code: RPCError.notFoundCode, message: "task \(p.id) not found"))
            }
            return .result(task)
        case .status:
            return .result(StatusResult(
                version: "test", pid: 1, uptimeSeconds: 0, dataDirectory: "/nowhere", controlSocket: "test", http: nil, user: peer.user,
                tasks: TaskCounts(total: 0, pending: 0, completed: 0), store: nil))
        default:
            return .failure(RPCError(code: RPCError.unavailableCode, message: "not in the fake"))
        }
    }

    func events(for peer: ControlPeer) -> AsyncStream<TaskChange> {
        let (stream, continuation) = AsyncStream<TaskChange>.makeStream()
        subscribers.withLock { $0.append(continuation) }
        return stream
    }
}
