import Foundation
import ChatKitProtocol
import MCP
import TodoCore

// MARK: - System prompt

/// What the model is told before every turn.
enum AgentPrompt {
    static let rules = """
        You are the todo assistant of todod. You manage the signed-in user's tasks only through these tools:
        - add_task(title, description?, due?, priority?, labels?, project?, recurrence?): create a task.
        - list_tasks(status?, view?, due?, due_before?, due_after?, priority?, label?, project?, query?, sort?, limit?):
          see tasks and their task_id values ("this week" is due: next_7_days).
        - complete_task(task_id): mark a task done (a recurring one moves to its next date).
        - update_task(task_id, any field; clear: [fields] removes values): change a task.
        - delete_task(task_id): delete a task permanently.
        Pass due, due_before, due_after and recurrence in plain words as the user said them ("tomorrow 5pm",
        "every month on the 1st"); the server resolves them in the user's time zone, so never compute dates.
        Confirm dates using the due_text and recurrence_text the tools return.
        Rules: use list_tasks to find a task_id when the user names a task by its title; never invent ids.
        Before deleting, ask the user to confirm unless they clearly asked for that exact deletion.
        If a tool returns an error, explain it briefly or fix the call. Answer briefly and plainly;
        after changing tasks, say what changed.
        """

    /// The system prompt for one turn: the rules plus the user's current date, weekday, time and zone.
    /// - Parameter context: now and the user's zone.
    static func system(_ context: DateContext) -> String {
        rules + now(context)
    }

    /// The part of the system prompt that changes: the user's date, weekday, time and zone.
    static func now(_ context: DateContext) -> String {
        let today = context.today
        let second = context.secondOfDay(of: context.now)
        // Two digits each, without Foundation's `String(format:)` (a varargs formatter, on every model call).
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let time = twoDigits(second / 3600) + ":" + twoDigits(second / 60 % 60)
        let date = "\(today.weekday.name) \(today.day) \(monthNames[today.month - 1]) \(today.year)"
        return "\nNow for the user: \(date) (\(today.iso)), \(time), time zone \(context.zone.identifier)."
    }

    /// `TokenEstimate` counts of `rules`, taken once.
    static let rulesCounts = TokenEstimate.counts(rules)

    // MARK: - History

    /// The messages the model sees: the system prompt, as much recent history as fits the budget
    /// (oldest dropped first, tool calls kept with their results), and the new message.
    /// - Parameters:
    ///   - history: earlier entries, oldest first.
    ///   - message: the new user message.
    ///   - budget: estimated tokens of history to keep (`TokenEstimate`).
    ///   - context: now and the user's zone, for the system prompt.
    static func messages(history: [ConversationEntry], message: String, budget: Int, context: DateContext) -> [ChatMessage] {
        var groups: [[ChatMessage]] = []
        var index = 0
        while index < history.count {
            switch history[index] {
            case .user(let text):
                groups.append([ChatMessage(role: .user, content: clip(text, 8000))])
                index += 1
            case .assistant(let text):
                groups.append([ChatMessage(role: .assistant, content: clip(text, 8000))])
                index += 1
            case .tool:
                var calls: [ToolCallRequest] = []
                var results: [ChatMessage] = []
                while index < history.count, case .tool(let id, let name, let arguments, let result, let isError) = history[index] {
                    calls.append(ToolCallRequest(id: id, name: name, arguments: arguments))
                    results.append(ChatMessage(role: .tool, content: clip(isError ? "Error: \(result)" : result, 4000), toolCallID: id))
                    index += 1
                }
                groups.append([ChatMessage(role: .assistant, content: nil, toolCalls: calls)] + results)
            }
        }
        var kept: [[ChatMessage]] = []
        var used = 0
        for group in groups.reversed() {
            let size = group.reduce(0) { $0 + $1.estimatedTokens }
            if used + size > budget { break }
            used += size
            kept.append(group)
        }
        return [ChatMessage(role: .system, content: system(context))] + kept.reversed().flatMap { $0 }
            + [ChatMessage(role: .user, content: clip(message, 16000))]
    }

    /// The estimated tokens of history that fit: the context window minus room for the reply (a quarter of
    /// the window, at most 4096), the system prompt, the tools and the new message; never below zero.
    /// - Parameters:
    ///   - contextWindow: the model's context window in tokens.
    ///   - tools: the tools sent with every request.
    ///   - message: the new user message.
    ///   - context: now and the user's zone, for the system prompt.
    static func historyBudget(contextWindow: Int, tools: [ToolDefinition], message: String, context: DateContext) -> Int {
        let reply = min(4096, contextWindow / 4)
        let system = TokenEstimate.tokens(rulesCounts + TokenEstimate.counts(now(context)))  // = TokenEstimate.of(system(context))
        let fixed = system + TokenEstimate.of(clip(message, 16000)) + 8
            + tools.reduce(0) { $0 + $1.estimatedTokens }
        return max(0, contextWindow - reply - fixed)
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + " …[truncated]"
    }

    // MARK: - Titles

    /// A short thread title from the first user message: its first words, at most 60 characters.
    static func threadTitle(for message: String) -> String {
        let words = message.split(whereSeparator: { $0.isWhitespace }).prefix(8).joined(separator: " ")
        let title = words.count <= 60 ? words : String(words.prefix(57)) + "…"
        return title.isEmpty ? "New chat" : title
    }

    /// The title of a running tool call, for example "Adding task 'Buy milk'".
    static func startedTitle(name: String, arguments: String) -> String {
        let args = (try? JSONDecoder().decode(Value.self, from: Data(arguments.utf8)))?.objectValue ?? [:]
        let title = args["title"]?.stringValue.map { " '\(clip($0, 60))'" } ?? ""
        let id = args["task_id"]?.stringValue.map { " \($0)" } ?? ""
        switch name {
        case "add_task": return "Adding task\(title)"
        case "list_tasks": return "Listing \(args["status"]?.stringValue.flatMap { $0 == "all" ? nil : $0 + " " } ?? "")tasks"
        case "complete_task": return "Completing task\(id)"
        case "delete_task": return "Deleting task\(id)"
        case "update_task": return "Updating task\(id)"
        default: return "Calling \(clip(name, 60))"
        }
    }

    /// The title of a finished tool call, for example "Added task 'Buy milk'".
    static func finishedTitle(name: String, outcome: ToolOutcomeSummary) -> String {
        guard !outcome.isError else {
            switch name {
            case "add_task": return "Could not add task"
            case "list_tasks": return "Could not list tasks"
            case "complete_task": return "Could not complete task"
            case "delete_task": return "Could not delete task"
            case "update_task": return "Could not update task"
            default: return "Unknown tool '\(clip(name, 60))'"
            }
        }
        let title = outcome.taskTitle.map { " '\(clip($0, 60))'" } ?? ""
        switch name {
        case "add_task": return "Added task\(title)"
        case "list_tasks":
            let n = outcome.count ?? 0
            return n == 1 ? "Listed 1 task" : "Listed \(n) tasks"
        case "complete_task": return "Completed task\(title)"
        case "delete_task": return "Deleted task\(title)"
        case "update_task": return "Updated task\(title)"
        default: return "Called \(clip(name, 60))"
        }
    }
}

/// The parts of a tool result the titles need.
struct ToolOutcomeSummary {
    var isError: Bool
    var taskTitle: String?
    var count: Int?
}
