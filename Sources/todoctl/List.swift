public import ArgumentParser
import TodoControl
public import TodoCore

// MARK: - list

/// `todoctl list [--status pending|completed|all]`.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List your tasks, oldest first.")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "all, pending or completed.") var status: TaskFilter = .all

    func run() async throws {
        let result = try await options.client.call(ControlMethods.ListTasks.self, ListTasksParams(status: status))
        try options.emit(result) { Output.table($0.tasks) }
    }
}

extension TaskFilter: ExpressibleByArgument {}
