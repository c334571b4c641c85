import ArgumentParser
import TodoControl
import TodoCore

// MARK: - done / undone

/// `todoctl done ID`: marks a task completed.
struct Done: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark a task completed.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID

    func run() async throws {
        let task = try await options.client.call(ControlMethods.CompleteTask.self, CompleteTaskParams(id: id, completed: true))
        try options.emit(task) { "Completed \($0.id): \($0.title)" }
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
