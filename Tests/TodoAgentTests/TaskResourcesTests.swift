import Foundation
import MCP
import Synchronization
import Testing
import TodoCore
import TodoStore
import TodoTools

// MARK: - The task views as MCP resources, through the SDK client over InMemoryTransport

@Suite("Task resources (in-process MCP)")
struct TaskResourcesTests {
    /// A connected client and server for `user`; the server's subscriptions are returned to stop them.
    func connect(_ f: AgentFixture, user: UserID? = nil) async throws -> (Client, Server, TaskResourceSubscriptions) {
        let toolbox = TaskToolbox(repository: f.store, user: user ?? f.alice, clock: f.clock, zone: TimeZone(identifier: "UTC")!)
        let subscriptions = TaskResourceSubscriptions(repository: f.store, user: user ?? f.alice)
        let server = await TaskToolServer.makeServer(toolbox: toolbox, subscriptions: subscriptions)
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        let client = Client(name: "test", version: "1")
        try await server.start(transport: serverTransport)
        _ = try await client.connect(transport: clientTransport)
        return (client, server, subscriptions)
    }

    func object(_ contents: [Resource.Content]) throws -> [String: Value] {
        let text = try #require(contents.first?.text)
        return try #require(try JSONDecoder().decode(Value.self, from: Data(text.utf8)).objectValue)
    }

    @Test("resources/list, templates and read: today, upcoming and one task, in the tools' JSON shapes")
    func listAndRead() async throws {
        let f = try await AgentFixture.make()  // now: 2026-01-01T00:00:00Z
        let today = try await f.store.addTask(TaskDraft(title: "Due today", due: try TaskDue(iso: "2026-01-01")), for: f.alice, requestID: nil)
        _ = try await f.store.addTask(TaskDraft(title: "Later", due: try TaskDue(iso: "2026-01-05")), for: f.alice, requestID: nil)
        _ = try await f.store.addTask(TaskDraft(title: "Undated"), for: f.alice, requestID: nil)
        let bobs = try await f.store.addTask(TaskDraft(title: "Bob's", due: try TaskDue(iso: "2026-01-01")), for: f.bob, requestID: nil)
        let (client, server, subscriptions) = try await connect(f)

        let listed = try await client.listResources().resources
        #expect(listed.map(\.uri) == ["todo://tasks/today", "todo://tasks/upcoming"])
        #expect(listed.allSatisfy { $0.mimeType == "application/json" && $0.title != nil })
        let templates = try await client.listResourceTemplates().templates
        #expect(templates.map(\.uriTemplate) == ["todo://task/{task_id}"])

        let todayView = try object(try await client.readResource(uri: "todo://tasks/today"))
        #expect(todayView["tasks"]?.arrayValue?.compactMap { $0.objectValue?["title"]?.stringValue } == ["Due today"])
        #expect(todayView["today"] == "2026-01-01")
        let upcoming = try object(try await client.readResource(uri: "todo://tasks/upcoming"))
        #expect(upcoming["tasks"]?.arrayValue?.compactMap { $0.objectValue?["title"]?.stringValue } == ["Later"])
        let one = try await client.readResource(uri: "todo://task/\(today.id.rawValue)")
        #expect(one.first?.mimeType == "application/json")
        #expect(try object(one)["status"] == "pending")
        #expect(try object(one)["due_text"] == "Thursday 1 January 2026")

        // Another user's task and unknown URIs are "resource not found", never content.
        for uri in ["todo://task/\(bobs.id.rawValue)", "todo://task/t_missing", "todo://tasks/someday", "file:///etc/passwd", "todo://task/../x"] {
            await #expect(throws: MCPError.self, "\(uri)") { _ = try await client.readResource(uri: uri) }
        }
        await subscriptions.stop()
        await client.disconnect()
        await server.stop()
    }

    @Test("resources/subscribe: a change sends notifications/resources/updated for the subscribed URIs it touches")
    func subscribe() async throws {
        let f = try await AgentFixture.make()
        let task = try await f.store.addTask(TaskDraft(title: "Watch me"), for: f.alice, requestID: nil)
        let (client, server, subscriptions) = try await connect(f)
        let updates = Mutex<[String]>([])
        await client.onNotification(ResourceUpdatedNotification.self) { message in
            updates.withLock { $0.append(message.params.uri) }
        }
        await #expect(throws: MCPError.self) { try await client.subscribeToResource(uri: "todo://nowhere") }
        try await client.subscribeToResource(uri: "todo://tasks/today")
        try await client.subscribeToResource(uri: "todo://task/\(task.id.rawValue)")
        #expect(await subscriptions.subscribed.count == 2)

        _ = try await f.store.addTask(TaskDraft(title: "Bob's"), for: f.bob, requestID: nil)  // not Alice's: no notification
        _ = try await f.store.setCompleted(task.id, true, for: f.alice)
        let deadline = ContinuousClock.now + .seconds(10)
        while updates.withLock({ $0.count }) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(Set(updates.withLock { $0 }) == ["todo://tasks/today", "todo://task/\(task.id.rawValue)"])
        #expect(updates.withLock { $0.count } == 2)

        await subscriptions.stop()
        #expect(await subscriptions.subscribed.isEmpty)
        await client.disconnect()
        await server.stop()
    }
}
