import Foundation
import Logging
import Testing
import TodoCore
import TodoStore
import TodoTools

// MARK: - POST /mcp sessions, each bound to the user that initialized it

@Suite("MCP over HTTP endpoint")
struct MCPHTTPEndpointTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#

    func json(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    @Test("initialize → session id; tools/list and tools/call act for the session's user only")
    func sessionFlow() async throws {
        let f = try await AgentFixture.make()
        let endpoint = MCPHTTPEndpoint(repository: f.store, logger: f.logger)
        let opened = await endpoint.handle(body: Array(Self.initialize.utf8), user: f.alice, sessionID: nil)
        #expect(opened.status == 200)
        #expect((json(opened.body)["result"] as? [String: Any])?["serverInfo"] != nil)
        let session = try #require(opened.sessionID)

        let note = await endpoint.handle(body: Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8), user: f.alice, sessionID: session)
        #expect(note.status == 202)

        let list = await endpoint.handle(body: Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8), user: f.alice, sessionID: session)
        let tools = ((json(list.body)["result"] as? [String: Any])?["tools"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(tools?.sorted() == ["add_task", "complete_task", "delete_task", "list_tasks", "update_task"])

        let call = #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"Via HTTP"}}}"#
        let added = await endpoint.handle(body: Array(call.utf8), user: f.alice, sessionID: session)
        let result = try #require(json(added.body)["result"] as? [String: Any])
        #expect((result["structuredContent"] as? [String: Any])?["title"] as? String == "Via HTTP")
        #expect(try await f.store.tasks(for: f.alice, filter: .all).map(\.title) == ["Via HTTP"])

        // Bob cannot ride on Alice's session.
        let hijack = await endpoint.handle(body: Array(call.utf8), user: f.bob, sessionID: session)
        #expect(hijack.status == 404)
        #expect(try await f.store.tasks(for: f.bob, filter: .all).isEmpty)
        #expect(try await f.store.tasks(for: f.alice, filter: .all).count == 1)
        await endpoint.shutdown()
    }

    @Test("Requests without a session, unknown sessions and garbage get clear 4xx answers")
    func badRequests() async throws {
        let f = try await AgentFixture.make()
        let endpoint = MCPHTTPEndpoint(repository: f.store, logger: f.logger)
        let noSession = await endpoint.handle(body: Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8), user: f.alice, sessionID: nil)
        #expect(noSession.status == 400)
        let unknown = await endpoint.handle(body: Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8), user: f.alice, sessionID: "nope")
        #expect(unknown.status == 404)
        let garbage = await endpoint.handle(body: Array("not json".utf8), user: f.alice, sessionID: nil)
        #expect(garbage.status == 400)
        #expect(json(garbage.body)["error"] != nil)
    }

    @Test("Old sessions are evicted beyond maxSessions")
    func eviction() async throws {
        let f = try await AgentFixture.make()
        let endpoint = MCPHTTPEndpoint(repository: f.store, maxSessions: 2, logger: f.logger)
        var ids: [String] = []
        for _ in 0..<3 {
            ids.append(try #require(await endpoint.handle(body: Array(Self.initialize.utf8), user: f.alice, sessionID: nil).sessionID))
        }
        #expect(await endpoint.sessionCount == 2)
        let first = await endpoint.handle(body: Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8), user: f.alice, sessionID: ids[0])
        #expect(first.status == 404)
        await endpoint.shutdown()
    }
}
