import ArgumentParser
import TodoControl
import TodoCore

// MARK: - undo

/// `todoctl undo`: undoes your most recent task change (from any surface).
struct Undo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo your most recent task change (an add, edit, completion or removal, from any surface).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let result = try await options.client.call(ControlMethods.UndoTask.self, EmptyParams())
        try options.emit(result) { Self.describe($0) }
    }

    /// `Undid the add of 3: Buy milk (removed it again); 2 more change(s) can be undone.`
    static func describe(_ result: UndoResult) -> String {
        let task = "\(result.task.id): \(result.task.title)"
        let what = switch result.undone {
        case .created: "Undid the add of \(task) (removed it again)"
        case .updated: "Undid the change to \(task) (restored it)"
        case .deleted: "Undid the removal of \(task) (restored it)"
        }
        return what + "; \(result.remaining) more change(s) can be undone."
    }
}
