public import TodoCore

// MARK: - Undo

extension Store {
    /// Undoes the user's most recent change not undone yet: an added task is removed, an update is reverted
    /// to the task as it was, a deleted task comes back with its id. The undo is durable, and it is itself
    /// published as a change (so every open view updates). The history keeps the last 100 changes.
    /// - Parameter user: the owner.
    /// - Throws: `TodoError.conflict("nothing to undo")` when the history is empty.
    public func undo(for user: UserID) async throws -> UndoResult {
        try await usable()
        guard let state = users[user], let entry = state.tasks.undoHistory.last else {
            throw TodoError.conflict("nothing to undo")
        }
        let now = clock.now()
        var records: [StoreRecord] = [.undone(seq: entry.seq)]
        let change: TaskChange
        let result: TaskItem
        switch entry.action {
        case .created:
            if let current = state.tasks.task(entry.task.id) {
                records.insert(.taskDeleted(current.id), at: 0)
                change = TaskChange(kind: .deleted, user: user, task: current)
                result = current
            } else {
                change = TaskChange(kind: .deleted, user: user, task: entry.task)
                result = entry.task
            }
        case .updated, .deleted:
            var restored = entry.task
            let existing = state.tasks.task(restored.id)
            restored.updatedAt = max(now, existing?.updatedAt ?? restored.updatedAt)
            records.insert(.task(restored, requestID: nil), at: 0)
            change = TaskChange(kind: existing == nil ? .created : .updated, user: user, task: restored)
            result = restored
        }
        try await write(state, records, change)
        return UndoResult(undone: entry.action, task: result, remaining: state.tasks.undoHistory.count)
    }

    /// How many changes the user can undo.
    /// - Parameter user: the owner.
    public func undoDepth(for user: UserID) -> Int {
        users[user]?.tasks.undoHistory.count ?? 0
    }
}
