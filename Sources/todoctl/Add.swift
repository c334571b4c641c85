import ArgumentParser
import Foundation
import TodoControl
import TodoCore

// MARK: - add

/// `todoctl add "Pay rent every month on the 1st p1 @bills #home"`: creates a task, idempotently.
struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a task (quick add: dates, p1-p4, @labels and #project in the text).",
        discussion: """
            The text is read as quick add: "Pay rent every month on the 1st p1 @bills #home" becomes the title
            "Pay rent", a monthly recurrence, priority 1, label bills and project home (see "Dates in plain words
            and quick add" in the README). --literal keeps the text as the title. Explicit options override what
            quick add found; --due and --every take words ("tomorrow 5pm", "every monday") or ISO / RRULE.
            Each add carries a fresh request id; if the connection drops before the answer, todoctl retries once
            with the same id (after 300 ms, or $TODOCTL_RETRY_DELAY_MS), so the task is never created twice.
            --request-id sets the id yourself (for scripts that retry on their own).
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The task in words (quick add), or the title with --literal.") var text: String
    @Flag(name: .long, help: "Use the text as the title as is (no quick add).") var literal = false
    @Option(name: [.short, .long], help: "A description (at most 1,000 characters).") var description: String?
    @Option(name: .long, help: ArgumentHelp("Due date: words or ISO (2026-12-01, 2026-12-01T17:00:00+01:00).", valueName: "when"))
    var due: String?
    @Option(name: [.short, .long], help: ArgumentHelp("Priority 1 (highest) to 4, or p1-p4.", valueName: "p")) var priority: PriorityArgument?
    @Option(name: [.short, .long], help: ArgumentHelp("A label (repeatable).", valueName: "name")) var label: [String] = []
    @Option(name: .long, help: ArgumentHelp("The project.", valueName: "name")) var project: String?
    @Option(name: .long, help: ArgumentHelp("Recurrence: words (\"every monday\") or an RRULE (FREQ=WEEKLY).", valueName: "rule"))
    var every: String?
    @Option(name: .long, help: ArgumentHelp("Idempotency key (1-128 bytes).", valueName: "id")) var requestID: String?

    func run() async throws {
        let params = AddTaskParams(
            title: literal ? text : nil, text: literal ? nil : text, description: description, due: due, priority: priority?.value,
            labels: label.isEmpty ? nil : label, project: project, recurrence: every, timeZone: TimeZone.current.identifier,
            requestID: requestID ?? Self.freshRequestID())
        let client = options.client
        let task: TaskItem
        do {
            task = try await client.call(ControlMethods.AddTask.self, params)
        } catch let error as ControlError where error.isConnectionClosed {
            // The daemon may or may not have stored it: retry once with the same id (it deduplicates).
            try await Task.sleep(for: .milliseconds(Self.retryDelayMilliseconds))
            task = try await client.call(ControlMethods.AddTask.self, params)
        }
        try options.emit(task) { "Added \($0.id): \($0.title)" + Output.understood($0) }
    }

    /// The pause before the retry: 300 ms, or `$TODOCTL_RETRY_DELAY_MS`.
    static var retryDelayMilliseconds: Int {
        ProcessInfo.processInfo.environment["TODOCTL_RETRY_DELAY_MS"].flatMap(Int.init) ?? 300
    }

    static func freshRequestID() -> String {
        var rng = SystemRandomNumberGenerator()
        return "todoctl-" + randomToken(length: 20, using: &rng)
    }
}

/// A priority on the command line: `1`-`4` or `p1`-`p4` (the daemon checks the range).
struct PriorityArgument: ExpressibleByArgument, Sendable {
    let value: Int

    init?(argument: String) {
        let digits = argument.lowercased().hasPrefix("p") ? String(argument.dropFirst()) : argument
        guard let n = Int(digits) else { return nil }
        value = n
    }
}
