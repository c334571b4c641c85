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

    func collect(_ body: MCPHTTPResponse.Body) async throws -> [UInt8] {
        switch body {
        case .bytes(let bytes): return bytes
        case .stream(let chunks):
            var all: [UInt8] = []
            for try await chunk in chunks { all += chunk }
            return all
        }
    }

    @Test("Revision 2025-11-25 is negotiated; MCP-Protocol-Version is honoured (unknown → 400 JSON-RPC error); tools/list has a fixed order")
    func protocolVersion() async throws {
        let f = try await AgentFixture.make()
        let endpoint = MCPHTTPEndpoint(repository: f.store, logger: f.logger)
        let initialize = MCPHTTPEndpointTests.initialize.replacingOccurrences(of: "2025-06-18", with: "2025-11-25")
        let opened = await endpoint.handle(body: Array(initialize.utf8), user: f.alice, sessionID: nil)
        #expect((json(opened.body)["result"] as? [String: Any])?["protocolVersion"] as? String == "2025-11-25")
        let session = try #require(opened.sessionID)
        let list = Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8)
        func headers(_ version: String) -> [String: String] {
            ["Accept": "application/json, text/event-stream", "Content-Type": "application/json",
             "Mcp-Session-Id": session, "MCP-Protocol-Version": version]
        }
        let unknown = await endpoint.handle(MCPHTTPRequest(method: "POST", headers: headers("1999-01-01"), body: list), user: f.alice)
        #expect(unknown.status == 400)
        let body = try await collect(unknown.body)
        let message = (json(body)["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("1999-01-01") && message.contains("2025-11-25"), "\(message)")

        let known = await endpoint.handle(MCPHTTPRequest(method: "POST", headers: headers("2025-11-25"), body: list), user: f.alice)
        #expect(known.status == 200)
        let sse = String(decoding: try await collect(known.body), as: UTF8.self)
        let last = sse.split(separator: "\n").last { $0.hasPrefix("data:") && $0.count > 6 }.map { Array($0.dropFirst(5).utf8) } ?? []
        let tools = ((json(last)["result"] as? [String: Any])?["tools"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(tools == ["add_task", "list_tasks", "complete_task", "delete_task", "update_task"])
        await endpoint.shutdown()
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

// MARK: - The session's zone

@Suite("MCP over HTTP: X-Time-Zone")
struct MCPHTTPZoneTests {
    func json(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    @Test("Dates in words follow the X-Time-Zone the session was sent; an unknown zone is 422 naming time_zone")
    func zoneHeader() async throws {
        // 2026-11-30T15:00:00Z: still 30 November in UTC, already 1 December 05:00 in Kiritimati (UTC+14).
        let f = try await AgentFixture.make(now: Timestamp(millisecondsSinceEpoch: 1_796_050_800_000))
        let endpoint = MCPHTTPEndpoint(repository: f.store, clock: f.clock, defaultZone: TimeZone(identifier: "UTC")!, logger: f.logger)
        let bad = await endpoint.handle(body: Array(MCPHTTPEndpointTests.initialize.utf8), user: f.alice, sessionID: nil, timeZone: "Mars/Base")
        #expect(bad.status == 422)
        #expect(String(decoding: bad.body, as: UTF8.self).contains("time_zone"))

        let call = #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"Today","due":"today"}}}"#
        let kiritimati = try #require(await endpoint.handle(body: Array(MCPHTTPEndpointTests.initialize.utf8), user: f.alice, sessionID: nil,
                                                            timeZone: "Pacific/Kiritimati").sessionID)
        let added = await endpoint.handle(body: Array(call.utf8), user: f.alice, sessionID: kiritimati)
        let structured = (json(added.body)["result"] as? [String: Any])?["structuredContent"] as? [String: Any]
        #expect(structured?["due"] as? String == "2026-12-01")
        #expect(structured?["due_text"] as? String == "Tuesday 1 December 2026")

        let utc = try #require(await endpoint.handle(body: Array(MCPHTTPEndpointTests.initialize.utf8), user: f.alice, sessionID: nil).sessionID)
        let daemonZone = await endpoint.handle(body: Array(call.utf8), user: f.alice, sessionID: utc)
        #expect(((json(daemonZone.body)["result"] as? [String: Any])?["structuredContent"] as? [String: Any])?["due"] as? String == "2026-11-30")
        await endpoint.shutdown()
    }
}
