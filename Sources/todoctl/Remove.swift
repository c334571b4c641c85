import ArgumentParser
import TodoControl
import TodoCore

// MARK: - rm

/// `todoctl rm ID`.
struct Remove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a task.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID

    func run() async throws {
        let task = try await options.client.call(ControlMethods.DeleteTask.self, TaskIDParams(id: id))
        try options.emit(task) { "Deleted \($0.id): \($0.title)" }
    }
}
