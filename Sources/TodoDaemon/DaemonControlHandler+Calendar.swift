import Foundation
import Logging
import TodoControl
import TodoCore
import TodoStore

// MARK: - iCalendar over the control socket

extension DaemonControlHandler {
    /// `tasks.export_ics`: the caller's own tasks (an operator too: a calendar is one person's).
    func exportICS(for user: UserID) async throws -> ICSExportResult {
        let tasks = try await store.tasks(for: user, filter: .all)
        return ICSExportResult(text: ICalendar.export(tasks, now: clock.now()), count: tasks.count)
    }

    /// `tasks.import_ics`: reads the VTODOs and lands them in the caller's user through the store's import, so
    /// `<id>@todod` todos meet their task again (the newer copy wins) and the rest become new tasks.
    func importICS(_ p: ImportICSParams, for user: UserID) async throws -> ICSImportResult {
        let zone = try p.floatingZone.map { try DateContext.zone(named: $0, field: "floating_zone") } ?? TimeZone(identifier: "UTC")!
        let parsed = ICalendar.importTodos(p.text, floatingZone: zone)
        let problems = parsed.problems.map { ICSProblem(line: $0.line, message: $0.message) }
        guard !parsed.todos.isEmpty else { return ICSImportResult(added: 0, updated: 0, unchanged: 0, problems: problems) }
        let now = clock.now()
        let tasks = ICalendar.tasks(from: parsed.todos, now: now)
        let report = try await store.importAll(ExportDocument(exportedAt: now, users: [ExportedUser(user: user, tasks: tasks)]))
        logger.info("iCalendar import", metadata: [
            "todo.user": "\(user)", "todo.import.added": "\(report.tasksAdded)", "todo.import.updated": "\(report.tasksUpdated)",
            "todo.import.problems": "\(problems.count)",
        ])
        return ICSImportResult(added: report.tasksAdded, updated: report.tasksUpdated, unchanged: report.tasksSkipped, problems: problems)
    }
}
