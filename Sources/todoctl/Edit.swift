import ArgumentParser
import Foundation
import TodoControl
import TodoCore

// MARK: - edit

/// `todoctl edit ID --due friday --priority 2 --clear labels`.
struct Edit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Change any field of a task, or clear one with --clear.",
        discussion: "--label replaces all labels (repeat it for several). --due and --every take words or ISO / RRULE.")

    /// A field `--clear` can remove.
    enum ClearField: String, ExpressibleByArgument, CaseIterable {
        case due, priority, labels, project, recurrence, description
    }

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task id.") var id: TaskID
    @Option(name: [.short, .long], help: "A new title.") var title: String?
    @Option(name: [.short, .long], help: "A new description.") var description: String?
    @Option(name: .long, help: ArgumentHelp("A new due date (words or ISO).", valueName: "when")) var due: String?
    @Option(name: [.short, .long], help: ArgumentHelp("A new priority (1-4 or p1-p4).", valueName: "p")) var priority: PriorityArgument?
    @Option(name: [.short, .long], help: ArgumentHelp("A label; replaces all labels (repeatable).", valueName: "name")) var label: [String] = []
    @Option(name: .long, help: ArgumentHelp("A new project.", valueName: "name")) var project: String?
    @Option(name: .long, help: ArgumentHelp("A new recurrence (words or RRULE).", valueName: "rule")) var every: String?
    @Option(name: .long, help: ArgumentHelp("Clear a field: due, priority, labels, project, recurrence or description (repeatable).", valueName: "field"))
    var clear: [ClearField] = []

    func validate() throws {
        let set: [ClearField: Bool] = [
            .due: due != nil, .priority: priority != nil, .labels: !label.isEmpty, .project: project != nil,
            .recurrence: every != nil, .description: description != nil,
        ]
        for field in clear where set[field] == true {
            throw ValidationError("--clear \(field.rawValue) conflicts with a new value for it")
        }
        if title == nil && clear.isEmpty && !set.values.contains(true) {
            throw ValidationError("nothing to change: give --title, --description, --due, --priority, --label, --project, --every or --clear")
        }
    }

    func run() async throws {
        func pick<T>(_ value: T?, _ field: ClearField) -> Patchable<T> {
            if let value { return .value(value) }
            return clear.contains(field) ? .null : .absent
        }
        let params = UpdateTaskParams(
            id: id, title: title, description: pick(description, .description), due: pick(due, .due), priority: pick(priority?.value, .priority),
            labels: pick(label.isEmpty ? nil : label, .labels), project: pick(project, .project), recurrence: pick(every, .recurrence),
            timeZone: TimeZone.current.identifier)
        let task = try await options.client.call(ControlMethods.UpdateTask.self, params)
        try options.emit(task) { "Updated \($0.id): \($0.title)" + Output.understood($0) }
    }
}
