import MCP
import Testing
import TodoCore
import TodoStore
import TodoTools

// MARK: - The five MCP tools, through the SDK client over InMemoryTransport

@Suite("Task tools (in-process MCP)")
struct TaskToolsTests {
    @Test("tools/list offers exactly the five tools with schemas, limits and annotations, and no user parameter")
    func listTools() async throws {
        let f = try await AgentFixture.make()
        let session = try await InProcessToolSession.connect(repository: f.store, user: f.alice)
        let tools = try await session.listTools()
        await session.close()
        // A fixed order, always the same (clients cache and diff it).
        #expect(tools.map(\.name) == ["add_task", "list_tasks", "complete_task", "delete_task", "update_task"])
        let byName = Dictionary(uniqueKeysWithValues: tools.map { ($0.name, $0) })
        // The annotation values Todoist's MCP server uses: (readOnly, destructive, idempotent).
        let hints = byName.mapValues { [$0.annotations.readOnlyHint, $0.annotations.destructiveHint, $0.annotations.idempotentHint] }
        #expect(hints["list_tasks"] == [true, false, true])
        #expect(hints["add_task"] == [false, false, false])
        #expect(hints["complete_task"] == [false, true, false])
        #expect(hints["update_task"] == [false, true, false])
        #expect(hints["delete_task"] == [false, true, true])
        for tool in tools {
            #expect(tool.title?.isEmpty == false, "\(tool.name) needs a title")
            #expect(tool.annotations.openWorldHint == false)
            #expect(tool.outputSchema?.objectValue?["type"] == "object", "\(tool.name) needs an outputSchema")
        }
        let title = byName["add_task"]?.inputSchema.objectValue?["properties"]?.objectValue?["title"]?.objectValue
        #expect(title?["maxLength"] == 200)
        #expect(title?["minLength"] == 1)
        #expect(byName["add_task"]?.inputSchema.objectValue?["properties"]?.objectValue?["description"]?.objectValue?["maxLength"] == 1000)
        for tool in tools {
            let props = tool.inputSchema.objectValue?["properties"]?.objectValue ?? [:]
            #expect(props["user"] == nil && props["user_id"] == nil, "\(tool.name) must not take a user")
            #expect(tool.description?.isEmpty == false)
        }
    }

    @Test("add, list, update, complete, delete: structured {task_id, status, title} with a JSON text form")
    func lifecycle() async throws {
        let f = try await AgentFixture.make()
        let s = try await InProcessToolSession.connect(repository: f.store, user: f.alice)
        let added = await s.call(name: "add_task", argumentsJSON: #"{"title":"  Buy milk ","description":"2 litres"}"#)
        #expect(!added.isError)
        let object = try #require(added.structured?.objectValue)
        #expect(object["status"] == "created")
        #expect(object["title"] == "Buy milk")
        let id = try #require(object["task_id"]?.stringValue)
        #expect(added.text.contains(#""task_id":"\#(id)""#))

        let listed = await s.call(name: "list_tasks", argumentsJSON: #"{"status":"pending"}"#)
        #expect(listed.structured?.objectValue?["count"] == 1)
        #expect(listed.structured?.objectValue?["tasks"]?.arrayValue?.first?.objectValue?["description"] == "2 litres")

        let updated = await s.call(name: "update_task", argumentsJSON: #"{"task_id":"\#(id)","title":"Buy oat milk"}"#)
        #expect(updated.structured?.objectValue?["status"] == "updated")
        let completed = await s.call(name: "complete_task", argumentsJSON: #"{"task_id":"\#(id)"}"#)
        #expect(completed.structured?.objectValue?["status"] == "completed")
        #expect(try await f.store.task(TaskID(id), for: f.alice).completed)
        let done = await s.call(name: "list_tasks", argumentsJSON: #"{"status":"completed"}"#)
        #expect(done.structured?.objectValue?["count"] == 1)

        let deleted = await s.call(name: "delete_task", argumentsJSON: #"{"task_id":"\#(id)"}"#)
        #expect(deleted.structured?.objectValue?["title"] == "Buy oat milk")
        #expect(try await f.store.tasks(for: f.alice, filter: .all).isEmpty)
        await s.close()
    }

    @Test("Bad input is a tool error with a clear text", arguments: [
        ("add_task", #"{"title":"   "}"#, "title"),
        ("add_task", #"{}"#, "title"),
        ("add_task", #"{"title":"x","user":"bob"}"#, "Unknown argument 'user'"),
        ("list_tasks", #"{"status":"done"}"#, "status"),
        ("complete_task", #"{"task_id":"t_missing"}"#, "not found"),
        ("delete_task", #"{"task_id":"../etc"}"#, "id"),
        ("update_task", #"{"task_id":"t_missing"}"#, "Nothing to update"),
        ("drop_database", #"{}"#, "Unknown tool 'drop_database'"),
        ("add_task", #"{"title": "Buy"#, "not a JSON object"),
        ("add_task", #"["Buy milk"]"#, "not a JSON object"),
    ])
    func toolErrors(name: String, arguments: String, mentions: String) async throws {
        let f = try await AgentFixture.make()
        let s = try await InProcessToolSession.connect(repository: f.store, user: f.alice)
        let outcome = await s.call(name: name, argumentsJSON: arguments)
        await s.close()
        #expect(outcome.isError)
        #expect(outcome.text.contains(mentions), "\(outcome.text)")
        #expect(try await f.store.tasks(for: f.alice, filter: .all).isEmpty)
    }

    @Test("A session bound to one user cannot see or touch another user's task")
    func isolation() async throws {
        let f = try await AgentFixture.make()
        let bobs = try await f.store.addTask(TaskDraft(title: "Bob's secret"), for: f.bob, requestID: nil)
        let s = try await InProcessToolSession.connect(repository: f.store, user: f.alice)
        for name in ["complete_task", "delete_task"] {
            let outcome = await s.call(name: name, argumentsJSON: #"{"task_id":"\#(bobs.id.rawValue)"}"#)
            #expect(outcome.isError)
        }
        let update = await s.call(name: "update_task", argumentsJSON: #"{"task_id":"\#(bobs.id.rawValue)","title":"pwned"}"#)
        #expect(update.isError)
        let list = await s.call(name: "list_tasks", argumentsJSON: "")
        #expect(list.structured?.objectValue?["count"] == 0)
        await s.close()
        #expect(try await f.store.task(bobs.id, for: f.bob) == bobs)
    }

    @Test("A tool change shows up on the repository's changes(for:) stream")
    func liveChanges() async throws {
        let f = try await AgentFixture.make()
        let changes = f.store.changes(for: f.alice)
        let s = try await InProcessToolSession.connect(repository: f.store, user: f.alice)
        _ = await s.call(name: "add_task", argumentsJSON: #"{"title":"Live"}"#)
        await s.close()
        var iterator = changes.makeAsyncIterator()
        let change = await iterator.next()
        #expect(change?.kind == .created)
        #expect(change?.task.title == "Live")
        #expect(change?.user == f.alice)
    }
}
