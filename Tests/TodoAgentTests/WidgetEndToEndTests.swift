import ChatKitProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing
import TodoAgent
import TodoAuth
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Task-list widget and its actions: router + agent + scripted model

@Suite("ChatKit widgets end to end (list → widget → custom_action)")
struct WidgetEndToEndTests {
    typealias E2E = ChatKitEndToEndTests

    /// Lists on any user message, then answers in text.
    static let script: ScriptedLLMServer.Script = { request, n in
        if request.messages.last?["role"] as? String == "tool" { return .stream(ScriptedLLM.text(["Here is your list."])) }
        return .stream(ScriptedLLM.toolCalls([.init(id: "call_list_\(n)", name: "list_tasks", arguments: #"{"status":"all"}"#)]))
    }

    static func action(_ thread: String, _ item: String, _ type: String, _ task: String, sync: Bool = false) -> String {
        let request = sync ? "threads.sync_custom_action" : "threads.custom_action"
        return #"{"type":"\#(request)","params":{"thread_id":"\#(thread)","item_id":"\#(item)","action":{"type":"\#(type)","payload":{"task_id":"\#(task)"}}}}"#
    }

    /// The widget item of a stream (`thread.item.done` or `thread.item.replaced`).
    static func widget(_ events: [[String: Any]]) -> [String: Any]? {
        events.compactMap { $0["item"] as? [String: Any] }.last { $0["type"] as? String == "widget" }
    }

    /// `task id → checked` of a widget item's rows.
    static func checked(_ item: [String: Any]?) -> [String: Bool] {
        let rows = ((item?["widget"] as? [String: Any])?["children"] as? [[String: Any]]) ?? []
        var out: [String: Bool] = [:]
        for row in rows {
            guard let id = row["id"] as? String, id.hasPrefix("task-"), let box = (row["children"] as? [[String: Any]])?.first else { continue }
            out[String(id.dropFirst(5))] = box["defaultChecked"] as? Bool
        }
        return out
    }

    @Test("What's on my list? → widget; done on one row completes it, streams the new widget, and a reload shows it done")
    func listThenComplete() async throws {
        let f = try await AgentFixture.make()
        let milk = try await f.store.addTask(TaskDraft(title: "Buy milk", priority: 1), for: f.alice, requestID: nil)
        let mum = try await f.store.addTask(TaskDraft(title: "Call mum"), for: f.alice, requestID: nil)
        let server = try await ScriptedLLMServer.start(script: Self.script)
        defer { Task { await server.stop() } }
        let rig = try E2E.Rig(f, server)
        let token = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            let first = E2E.events(try await E2E.post(client, E2E.create("What's on my list?"), token: token))
            let thread = try #require((first.first?["thread"] as? [String: Any])?["id"] as? String)
            let widget = try #require(Self.widget(first), "the answer carries a widget item")
            let itemID = try #require(widget["id"] as? String)
            #expect(Self.checked(widget) == [milk.id.rawValue: false, mum.id.rawValue: false])
            let types = first.compactMap { ($0["item"] as? [String: Any])?["type"] as? String }
            #expect(types.firstIndex(of: "widget")! < types.lastIndex(of: "assistant_message")!, "the widget comes before the answer text")

            // "Call mum" is done elsewhere meanwhile: the action's widget shows that too.
            _ = try await f.store.setCompleted(mum.id, true, for: f.alice)
            let acted = try await E2E.post(client, Self.action(thread, itemID, "todod.task.complete", milk.id.rawValue), token: token)
            #expect(acted.status == .ok)
            let events = E2E.events(acted)
            #expect(events.map { $0["type"] as? String ?? "" } == ["stream_options", "thread.item.replaced"])
            let replaced = Self.widget(events)
            #expect(replaced?["id"] as? String == itemID)
            #expect(Self.checked(replaced) == [milk.id.rawValue: true, mum.id.rawValue: true])
            #expect(try await f.store.task(milk.id, for: f.alice).completed, "the task is done in the store")
            let rest = try await client.execute(uri: "/api/tasks?status=completed", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(Set((E2E.json(rest) as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? []) == ["Buy milk", "Call mum"])

            // Reload: the thread's stored widget shows the new state.
            let items = try await E2E.post(client, #"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc"}}"#, token: token)
            let stored = ((E2E.json(items) as? [String: Any])?["data"] as? [[String: Any]])?.first { $0["id"] as? String == itemID }
            #expect(Self.checked(stored) == [milk.id.rawValue: true, mum.id.rawValue: true])

            // The model's next turn is told what the user did in the widget.
            _ = try await E2E.post(client, E2E.add(thread, "Thanks"), token: token)
            let seen = (server.requests.last?.messages ?? []).filter { $0["role"] as? String == "user" }.compactMap { $0["content"] as? String }
            #expect(seen.contains { $0.contains("marked the task 'Buy milk'") && $0.contains("done in the task list") }, "\(seen)")

            // The sync variant reopens it and answers with the updated item.
            let synced = try await E2E.post(client, Self.action(thread, itemID, "todod.task.reopen", milk.id.rawValue, sync: true), token: token)
            #expect(synced.status == .ok)
            #expect(Self.checked((E2E.json(synced) as? [String: Any])?["updated_item"] as? [String: Any])[milk.id.rawValue] == false)
            #expect(try await f.store.task(milk.id, for: f.alice).completed == false)
        }
    }

    @Test("Another user's action ids are refused and change nothing; unknown actions and non-widget items are refused")
    func refused() async throws {
        let f = try await AgentFixture.make()
        let milk = try await f.store.addTask(TaskDraft(title: "Buy milk"), for: f.alice, requestID: nil)
        _ = try await f.store.addTask(TaskDraft(title: "Bob's own"), for: f.bob, requestID: nil)
        let server = try await ScriptedLLMServer.start(script: Self.script)
        defer { Task { await server.stop() } }
        let rig = try E2E.Rig(f, server)
        let alice = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        let bob = try await rig.auth.issueToken(for: f.bob, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            let first = E2E.events(try await E2E.post(client, E2E.create("What's on my list?"), token: alice))
            let thread = try #require((first.first?["thread"] as? [String: Any])?["id"] as? String)
            let itemID = try #require(Self.widget(first)?["id"] as? String)

            // Bob with Alice's thread and item: not found, before any stream.
            let hijack = try await E2E.post(client, Self.action(thread, itemID, "todod.task.complete", milk.id.rawValue), token: bob)
            #expect(hijack.status == .notFound)
            let hijackSync = try await E2E.post(client, Self.action(thread, itemID, "todod.task.complete", milk.id.rawValue, sync: true), token: bob)
            #expect(hijackSync.status == .notFound)

            // Bob's own widget, carrying Alice's task id: refused in-band.
            let own = E2E.events(try await E2E.post(client, E2E.create("What's on my list?"), token: bob))
            let bobThread = try #require((own.first?["thread"] as? [String: Any])?["id"] as? String)
            let bobItem = try #require(Self.widget(own)?["id"] as? String)
            let forged = E2E.events(try await E2E.post(client, Self.action(bobThread, bobItem, "todod.task.complete", milk.id.rawValue), token: bob))
            #expect(forged.map { $0["type"] as? String ?? "" } == ["stream_options", "error"])
            #expect((forged.last?["message"] as? String)?.contains("not in this list") == true)

            // Unknown action type: refused in-band; an item that is not a widget: the reference's bare error.
            let unknown = E2E.events(try await E2E.post(client, Self.action(thread, itemID, "todod.task.delete", milk.id.rawValue), token: alice))
            #expect(unknown.last?["type"] as? String == "error")
            let message = try #require(first.compactMap { $0["item"] as? [String: Any] }.first { $0["type"] as? String == "user_message" }?["id"] as? String)
            let notWidget = E2E.events(try await E2E.post(client, Self.action(thread, message, "todod.task.complete", milk.id.rawValue), token: alice))
            #expect(notWidget.map { $0["type"] as? String ?? "" } == ["error"])
        }
        #expect(try await f.store.task(milk.id, for: f.alice).completed == false, "no refused action changed Alice's task")
    }
}
