import ArgumentParser
import Foundation
import TodoControl
import TodoCore

// MARK: - add

/// `todoctl add "Buy milk" -d "2 litres"`: creates a task, idempotently.
struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a task.",
        discussion: """
            Each add carries a fresh request id; if the connection drops before the answer, todoctl retries once
            with the same id (after 300 ms, or $TODOCTL_RETRY_DELAY_MS), so the task is never created twice.
            --request-id sets the id yourself (for scripts that retry on their own).
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The title (1-200 characters).") var title: String
    @Option(name: [.short, .long], help: "A description (at most 1,000 characters).") var description: String?
    @Option(name: .long, help: ArgumentHelp("Idempotency key (1-128 bytes).", valueName: "id")) var requestID: String?

    func run() async throws {
        let params = AddTaskParams(title: title, description: description, requestID: requestID ?? Self.freshRequestID())
        let client = options.client
        let task: TaskItem
        do {
            task = try await client.call(ControlMethods.AddTask.self, params)
        } catch let error as ControlError where error.isConnectionClosed {
            // The daemon may or may not have stored it: retry once with the same id (it deduplicates).
            try await Task.sleep(for: .milliseconds(Self.retryDelayMilliseconds))
            task = try await client.call(ControlMethods.AddTask.self, params)
        }
        try options.emit(task) { "Added \($0.id): \($0.title)" }
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
