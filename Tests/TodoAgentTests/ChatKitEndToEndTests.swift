import ChatKitProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Testing
import TodoAgent
import TodoAuth
import TodoCore
import TodoHTTP
import TodoStore
import TodoTesting
import TodoTools

// MARK: - POST /api/chatkit with the real router, the agent responder and the scripted model

@Suite("ChatKit end to end (router + agent + scripted model)")
struct ChatKitEndToEndTests {
    static let secret = Array("agent-e2e-secret-0123456789abcdef-0123".utf8)

    struct Rig {
        let f: AgentFixture
        let auth: AuthService
        let app: Application<RouterResponder<TodoRequestContext>>

        init(_ f: AgentFixture, _ server: ScriptedLLMServer) throws {
            self.f = f
            auth = try AuthService(secret: ChatKitEndToEndTests.secret, clock: SystemWallClock())
            var logger = Logger(label: "todo.test.http")
            logger.logLevel = .warning
            let deps = HTTPDependencies(tasks: f.store, threads: f.store, auth: auth, responder: f.responder(server), logger: logger,
                                        mcpEndpoint: MCPHTTPEndpoint(repository: f.store, logger: logger))
            let config = HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0)
            app = Application(router: HTTPServer.makeRouter(configuration: config, dependencies: deps))
        }
    }

    static func create(_ text: String) -> String {
        #"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"\#(text)"}],"attachments":[],"inference_options":{}}}}"#
    }

    static func add(_ thread: String, _ text: String) -> String {
        #"{"type":"threads.add_user_message","params":{"thread_id":"\#(thread)","input":{"content":[{"type":"input_text","text":"\#(text)"}],"attachments":[],"inference_options":{}}}}"#
    }

    /// The `data:` JSON objects of an SSE body.
    static func events(_ response: TestResponse) -> [[String: Any]] {
        String(buffer: response.body).components(separatedBy: "\n\n").compactMap { frame in
            guard frame.hasPrefix("data: ") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(frame.dropFirst(6).utf8))) as? [String: Any]
        }
    }

    static func json(_ response: TestResponse) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
    }

    static func post(_ client: any TestClientProtocol, _ body: String, token: String, uri: String = "/api/chatkit", session: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)", .accept: "application/json, text/event-stream"]
        if let session { headers[HTTPField.Name("Mcp-Session-Id")!] = session }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The workflow task titles in a stream's `thread.item.done` workflow items.
    static func workflowTitles(_ events: [[String: Any]]) -> [String] {
        events.filter { $0["type"] as? String == "thread.item.done" }
            .compactMap { (($0["item"] as? [String: Any])?["workflow"] as? [String: Any])?["tasks"] as? [[String: Any]] }
            .flatMap { $0.compactMap { $0["title"] as? String } }
    }

    /// The `todod_tool` badges (`name:state`) of every workflow task event in a stream, in order: the running
    /// task as added, then as updated, then in the done item.
    static func toolBadges(_ events: [[String: Any]]) -> [String] {
        events.flatMap { event -> [[String: Any]] in
            if let update = event["update"] as? [String: Any], let task = update["task"] as? [String: Any] { return [task] }
            if event["type"] as? String == "thread.item.added" || event["type"] as? String == "thread.item.done",
                let tasks = ((event["item"] as? [String: Any])?["workflow"] as? [String: Any])?["tasks"] as? [[String: Any]] { return tasks }
            return []
        }.map { task in
            let badge = task[ChatKitWire.toolBadgeKey] as? [String: Any]
            return "\(badge?["name"] as? String ?? "-"):\(badge?["state"] as? String ?? "-")"
        }
    }

    @Test("Add a task called Meeting prep / What's left? / Mark it done, seen over REST, with workflow items")
    func conversation() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: ConversationTests.rules)
        defer { Task { await server.stop() } }
        let rig = try Rig(f, server)
        let token = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            let first = try await Self.post(client, Self.create("Add a task called Meeting prep"), token: token)
            #expect(first.status == .ok)
            let events = Self.events(first)
            #expect(Self.workflowTitles(events) == ["Added task 'Meeting prep'"])
            #expect(Self.toolBadges(events) == ["add_task:running", "add_task:done", "add_task:done"], "the UI reads these, not the titles")
            let thread = try #require((events.first?["thread"] as? [String: Any])?["id"] as? String)

            let rest = try await client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: "Bearer \(token)"])
            let tasks = try #require(Self.json(rest) as? [[String: Any]])
            #expect(tasks.map { $0["title"] as? String } == ["Meeting prep"])

            let second = Self.events(try await Self.post(client, Self.add(thread, "What's left?"), token: token))
            #expect(Self.workflowTitles(second) == ["Listed 1 task"])
            #expect(Self.toolBadges(second).last == "list_tasks:done")

            let third = Self.events(try await Self.post(client, Self.add(thread, "Mark it done"), token: token))
            #expect(Self.workflowTitles(third) == ["Completed task 'Meeting prep'"])
            #expect(Self.toolBadges(third).last == "complete_task:done")
            let done = try await client.execute(uri: "/api/tasks?status=completed", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect((Self.json(done) as? [[String: Any]])?.count == 1)

            // The workflow items are stored with the thread and render again after a reload.
            let items = try await Self.post(client, #"{"type":"items.list","params":{"thread_id":"\#(thread)","order":"asc"}}"#, token: token)
            let types = ((Self.json(items) as? [String: Any])?["data"] as? [[String: Any]])?.compactMap { $0["type"] as? String } ?? []
            #expect(types.filter { $0 == "workflow" }.count == 3)
            #expect(types.filter { $0 == "user_message" }.count == 3)
        }
        #expect(try await f.store.tasks(for: f.bob, filter: .all).isEmpty)
    }

    @Test("500 every time: an in-band error with allow_retry, and the thread stays loadable")
    func upstreamDown() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: { _, _ in .status(500, body: ScriptedLLM.errorBody("down")) })
        defer { Task { await server.stop() } }
        let rig = try Rig(f, server)
        let token = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            let events = Self.events(try await Self.post(client, Self.create("hello"), token: token))
            let last = try #require(events.last)
            #expect(last["type"] as? String == "error")
            #expect(last["allow_retry"] as? Bool == true)
            let thread = try #require((events.first?["thread"] as? [String: Any])?["id"] as? String)
            let loaded = try await Self.post(client, #"{"type":"threads.get_by_id","params":{"thread_id":"\#(thread)"}}"#, token: token)
            #expect(loaded.status == .ok)
        }
    }

    @Test("POST /mcp with the bearer token: sessions bound to the token's user")
    func mcpOverHTTP() async throws {
        let f = try await AgentFixture.make()
        let server = try await ScriptedLLMServer.start(script: { _, _ in .status(500, body: "") })
        defer { Task { await server.stop() } }
        let rig = try Rig(f, server)
        let alice = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        let bob = try await rig.auth.issueToken(for: f.bob, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            let opened = try await Self.post(client, MCPHTTPEndpointTests.initialize, token: alice, uri: "/mcp")
            #expect(opened.status == .ok)
            let session = try #require(opened.headers[HTTPField.Name("Mcp-Session-Id")!])
            let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"From MCP HTTP"}}}"#
            let added = try await Self.post(client, call, token: alice, uri: "/mcp", session: session)
            #expect(added.status == .ok)
            let hijack = try await Self.post(client, call, token: bob, uri: "/mcp", session: session)
            #expect(hijack.status == .notFound)
            let anonymous = try await client.execute(uri: "/mcp", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: call))
            #expect(anonymous.status == .unauthorized)
        }
        #expect(try await f.store.tasks(for: f.alice, filter: .all).map(\.title) == ["From MCP HTTP"])
        #expect(try await f.store.tasks(for: f.bob, filter: .all).isEmpty)
    }
}
