import ChatKitProtocol
import Foundation
import Testing
import TodoAgent
import TodoCore
import TodoStore
import TodoTesting

// MARK: - A three-turn conversation against a rule-based scripted model

@Suite("Agent conversation")
struct ConversationTests {
    /// Like shared/peers/fake_llm.py, but with the three phrases of the issue.
    static let rules: ScriptedLLMServer.Script = { request, n in
        let messages = request.messages
        guard let last = messages.last else { return .status(400, body: ScriptedLLM.errorBody("no messages")) }
        let content = last["content"] as? String ?? ""
        if last["role"] as? String == "tool" {
            return .stream(ScriptedLLM.text(["Done: ", String(content.prefix(40))]))
        }
        if let range = content.range(of: "called ") {
            let title = String(content[range.upperBound...])
            let args = String(decoding: try! JSONSerialization.data(withJSONObject: ["title": title]), as: UTF8.self)
            return .stream(ScriptedLLM.toolCalls([.init(id: "call_add_\(n)", name: "add_task", arguments: args)]))
        }
        if content.lowercased().contains("left") {
            return .stream(ScriptedLLM.toolCalls([.init(id: "call_list_\(n)", name: "list_tasks", arguments: #"{"status":"pending"}"#)]))
        }
        if content.lowercased().contains("done") {
            // "it" = the last task id the conversation mentioned in a tool result.
            let ids = messages.filter { $0["role"] as? String == "tool" }.compactMap { $0["content"] as? String }
                .compactMap { $0.range(of: #"t_[a-z0-9]+"#, options: .regularExpression).map { String($0.description) } }
            let text = messages.filter { $0["role"] as? String == "tool" }.compactMap { $0["content"] as? String }.last ?? ""
            let id = text.range(of: #"t_[a-z0-9]+"#, options: .regularExpression).map { String(text[$0]) } ?? ids.last ?? "t_none"
            return .stream(ScriptedLLM.toolCalls([.init(id: "call_done_\(n)", name: "complete_task", arguments: #"{"task_id":"\#(id)"}"#)]))
        }
        return .stream(ScriptedLLM.text(["I can add, list and complete tasks."]))
    }

    @Test("Add a task called Meeting prep → What's left? → Mark it done")
    func threeTurns() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: Self.rules)
        defer { Task { await server.stop() } }
        let responder = f.responder(server)

        let first = try await f.turn(responder, "Add a task called Meeting prep", isNew: true)
        let tasks = try await f.store.tasks(for: f.alice, filter: .all)
        #expect(tasks.map(\.title) == ["Meeting prep"])
        #expect(first.finished.map(\.title) == ["Added task 'Meeting prep'"])
        #expect(first.last == .title("Add a task called Meeting prep"))
        var history = first.history(user: "Add a task called Meeting prep")

        let second = try await f.turn(responder, "What's left?", history: history)
        #expect(second.finished.map(\.title) == ["Listed 1 task"])
        #expect(second.finished.first?.result.contains("Meeting prep") == true)
        #expect(second.text.hasPrefix("Done: "))
        history += second.history(user: "What's left?")

        let third = try await f.turn(responder, "Mark it done", history: history)
        #expect(third.finished.map(\.title) == ["Completed task 'Meeting prep'"])
        #expect(try await f.store.task(tasks[0].id, for: f.alice).completed)
        #expect(third.error == nil)
        // The model saw the earlier turns, tool calls paired with their results.
        let seen = try #require(server.requests.last?.messages)
        #expect(seen.contains { ($0["tool_calls"] as? [Any])?.isEmpty == false })
        #expect(seen.filter { $0["role"] as? String == "user" }.count == 3)
    }
}
