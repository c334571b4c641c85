import ArgumentParser
import TodoControl
import TodoCore

// MARK: - done / undone

/// `todoctl done ID`: marks a task completed (a recurring one moves to its next occurrence).
struct Done: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark a task completed.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID
    @Option(name: .long, help: ArgumentHelp("Idempotency key (1-128 bytes): a retried completion of a recurring task does not skip an occurrence.", valueName: "id"))
    var requestID: String?

    func run() async throws {
        let params = CompleteTaskParams(id: id, completed: true, requestID: requestID ?? Add.freshRequestID())
        let task = try await options.client.call(ControlMethods.CompleteTask.self, params)
        try options.emit(task) {
            guard !$0.completed, let due = $0.due else { return "Completed \($0.id): \($0.title)" }
            return "Completed \($0.id): \($0.title); next due \(DueText.absolute(due))"
        }
    }
}

/// `todoctl undone ID`: reopens a completed task.
struct Undone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark a task pending again.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID

    func run() async throws {
        let task = try await options.client.call(ControlMethods.CompleteTask.self, CompleteTaskParams(id: id, completed: false))
        try options.emit(task) { "Reopened \($0.id): \($0.title)" }
    }
}
