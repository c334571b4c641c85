import Foundation
import TodoControl
import TodoCore

// MARK: - TaskRepository over the control socket

/// A `TaskRepository` whose calls go to the daemon; the `user` arguments are ignored because the
/// daemon acts for the socket peer. Every task-model field, the whole query and undo are forwarded
/// (dues as ISO text, recurrences as RRULE, the query's zone as `time_zone`). JSON-RPC errors come back as
/// `TodoError` so tools report them clearly.
struct ControlTaskRepository: TaskRepository {
    let client: ControlClient

    func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        let params = AddTaskParams(
            title: draft.title, description: draft.description, due: draft.due?.iso, priority: draft.priority,
            labels: draft.labels.isEmpty ? nil : draft.labels, project: draft.project, recurrence: draft.recurrence?.rrule,
            timeZone: draft.timeZone, requestID: requestID)
        return try await mapped { try await client.call(ControlMethods.AddTask.self, params) }
    }

    func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem] {
        let params = ListTasksParams(
            status: query.status, due: query.due?.rawValue, dueBefore: query.dueBefore?.iso, dueAfter: query.dueAfter?.iso,
            priority: query.priority, label: query.label, project: query.project, q: query.text, sort: query.sort.rawValue,
            limit: query.limit, timeZone: context.zone.identifier)
        return try await mapped { try await client.call(ControlMethods.ListTasks.self, params).tasks }
    }

    func task(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try await mapped { try await client.call(ControlMethods.GetTask.self, TaskIDParams(id: id)) }
    }

    func undo(for user: UserID) async throws -> UndoResult {
        try await mapped { try await client.call(ControlMethods.UndoTask.self, EmptyParams()) }
    }

    func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem {
        let params = Self.params(id, patch, requestID: requestID)
        return try await mapped { try await client.call(ControlMethods.UpdateTask.self, params) }
    }

    func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try await mapped { try await client.call(ControlMethods.DeleteTask.self, TaskIDParams(id: id)) }
    }

    /// The peer's task changes, from `events.subscribe` on a connection of its own (for `todoctl mcp`'s
    /// `resources/subscribe`). The stream ends when the daemon closes the connection; after an `events.resync`
    /// (the daemon dropped changes for a slow reader) the subscription is renewed and the missed changes are not
    /// replayed. Ending the iteration cancels the subscription.
    func changes(for user: UserID?) -> AsyncStream<TaskChange> {
        let client = self.client
        return AsyncStream { continuation in
            let task = Task {
                _ = try? await client.withConnection { connection in
                    try await connection.subscribe { change in
                        continuation.yield(change)
                        return !Task.isCancelled
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The wire form of a patch: `.clear` becomes null, values their text forms.
    static func params(_ id: TaskID, _ patch: TaskPatch, requestID: String?) -> UpdateTaskParams {
        func wire<V, W>(_ edit: FieldEdit<V>?, _ transform: (V) -> W) -> Patchable<W> {
            switch edit {
            case nil: .absent
            case .clear?: .null
            case .set(let v)?: .value(transform(v))
            }
        }
        return UpdateTaskParams(
            id: id, title: patch.title, description: patch.description.map { .value($0) } ?? .absent, due: wire(patch.due, \.iso),
            priority: wire(patch.priority, { $0 }), labels: patch.labels.map { .value($0) } ?? .absent, project: wire(patch.project, { $0 }),
            recurrence: wire(patch.recurrence, \.rrule), completed: patch.completed, timeZone: patch.timeZone?.value, requestID: requestID)
    }

    private func mapped<R>(_ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as ControlError {
            guard let rpc = error.rpcError else { throw error }
            switch rpc.code {
            case RPCError.invalidParamsCode: throw TodoError.validation(field: rpc.data?.field ?? "argument", rpc.message)
            case RPCError.notFoundCode: throw TodoError(code: .notFound, message: rpc.message.hasSuffix("not found") ? String(rpc.message.dropLast(10)) : rpc.message)
            case RPCError.conflictCode: throw TodoError.conflict(rpc.message)
            default: throw error
            }
        }
    }
}
