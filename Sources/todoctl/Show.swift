public import ArgumentParser
import TodoControl
public import TodoCore

// MARK: - show

/// `todoctl show ID`.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one task.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID

    func run() async throws {
        let task = try await options.client.call(ControlMethods.GetTask.self, TaskIDParams(id: id))
        try options.emit(task) { Output.detail($0) }
    }
}

extension TaskID: ExpressibleByArgument {
    public init?(argument: String) {
        try? self.init(argument)
    }
}
