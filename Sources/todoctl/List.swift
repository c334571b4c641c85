public import ArgumentParser
import Foundation
import TodoControl
public import TodoCore

// MARK: - list / today / upcoming

/// The list filters (CONTRACT wire names), shared by `list`, `today` and `upcoming`.
struct ListFilters: ParsableArguments {
    @Option(name: .long, help: "all, pending or completed.") var status: TaskFilter?
    @Option(name: .long, help: "today, upcoming or all (defaults the other filters; explicit ones win).") var view: String?
    @Option(name: .long, help: ArgumentHelp("overdue, today, today_or_overdue, tomorrow, next_7_days, upcoming, any or none.", valueName: "window"))
    var due: String?
    @Option(name: .long, help: ArgumentHelp("Due before this date (ISO or words: \"friday\").", valueName: "date")) var dueBefore: String?
    @Option(name: .long, help: ArgumentHelp("Due after this date (ISO or words).", valueName: "date")) var dueAfter: String?
    @Option(name: [.short, .long], help: ArgumentHelp("Only this priority (1-4 or p1-p4).", valueName: "p")) var priority: PriorityArgument?
    @Option(name: [.short, .long], help: ArgumentHelp("Only tasks with this label.", valueName: "name")) var label: String?
    @Option(name: .long, help: ArgumentHelp("Only tasks in this project.", valueName: "name")) var project: String?
    @Option(name: [.short, .customLong("search")], help: ArgumentHelp("Text in the title or description.", valueName: "text")) var query: String?
    @Option(name: .long, help: "due, priority or created.") var sort: String?
    @Option(name: .long, help: "At most this many tasks (1-100000).") var limit: Int?

    /// The params, with `view` when the command presets one.
    func params(view preset: String? = nil) -> ListTasksParams {
        ListTasksParams(
            status: status, view: view ?? preset, due: due, dueBefore: dueBefore, dueAfter: dueAfter, priority: priority?.value,
            label: label, project: project, q: query, sort: sort, limit: limit, timeZone: TimeZone.current.identifier)
    }

    /// Lists and prints.
    func run(_ options: GlobalOptions, view: String? = nil) async throws {
        let result = try await options.client.call(ControlMethods.ListTasks.self, params(view: view))
        try options.emit(result) { Output.table($0.tasks) }
    }
}

/// `todoctl list [--status ...] [--due ...] [--label ...] [--sort ...]`.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List your tasks (all, oldest first, unless filtered or sorted).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var filters: ListFilters

    func run() async throws { try await filters.run(options) }
}

/// `todoctl today`: open tasks overdue or due today, soonest first.
struct Today: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open tasks that are overdue or due today.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var filters: ListFilters

    func run() async throws { try await filters.run(options, view: "today") }
}

/// `todoctl upcoming`: open tasks due after today, soonest first.
struct Upcoming: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open tasks due after today.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var filters: ListFilters

    func run() async throws { try await filters.run(options, view: "upcoming") }
}

extension TaskFilter: ExpressibleByArgument {}
