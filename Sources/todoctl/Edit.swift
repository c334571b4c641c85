import ArgumentParser
import TodoControl
import TodoCore

// MARK: - edit

/// `todoctl edit ID --title T --description D`.
struct Edit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Change a task's title or description (\"\" clears the description).")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID
    @Option(name: [.short, .long], help: "A new title.") var title: String?
    @Option(name: [.short, .long], help: "A new description; an empty string clears it.") var description: String?

    func validate() throws {
        if title == nil && description == nil { throw ValidationError("give --title and/or --description") }
    }

    func run() async throws {
        let task = try await options.client.call(ControlMethods.UpdateTask.self, UpdateTaskParams(id: id, title: title, description: description))
        try options.emit(task) { "Updated \($0.id): \($0.title)" }
    }
}
