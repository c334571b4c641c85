import ChatKitProtocol
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TodoTools

// MARK: - /mcp through the whole router: Origin and MCP-Protocol-Version

@Suite("/mcp route: Origin and protocol version")
struct MCPRouteTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
    static let accept: HTTPFields = [.accept: "application/json, text/event-stream"]

    @Test("A foreign Origin is 403 on every /mcp method (POST, GET, DELETE); our own Origin is served")
    func foreignOrigin() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            var foreign = Self.accept
            foreign[.origin] = "http://evil.example"
            for method in [HTTPRequest.Method.post, .get, .delete] {
                let response = try await client.call("/mcp", method, token: token, headers: foreign,
                                                      body: method == .post ? Self.initialize : nil)
                #expect(response.status == .forbidden, "\(method) /mcp with a foreign Origin answered \(response.status)")
            }
            // Without credentials too: the Origin is refused before authentication is asked for.
            let anonymous = try await client.call("/mcp", .get, token: nil, headers: foreign, body: nil)
            #expect(anonymous.status == .forbidden, "GET /mcp with a foreign Origin and no token answered \(anonymous.status)")
            #expect(await h.mcp.sessionCount == 0)
            var own = Self.accept
            own[.origin] = "http://\(HTTPTestHarness.authority)"
            let opened = try await client.call("/mcp", .post, token: token, headers: own, body: Self.initialize)
            #expect(opened.status == .ok)
            #expect(opened.text.contains(#""protocolVersion":"2025-11-25""#))
        }
        await h.mcp.shutdown()
    }

    @Test("An unsupported MCP-Protocol-Version is 400 with a JSON-RPC error; a supported one is served")
    func protocolVersion() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let opened = try await client.call("/mcp", .post, token: token, headers: Self.accept, body: Self.initialize)
            let session = try #require(opened.headers[HTTPField.Name("Mcp-Session-Id")!])
            var headers = Self.accept
            headers[HTTPField.Name("Mcp-Session-Id")!] = session
            headers[HTTPField.Name("MCP-Protocol-Version")!] = "2099-01-01"
            let list = #"{"jsonrpc":"2.0","id":2,"method":"resources/list"}"#
            let refused = try await client.call("/mcp", .post, token: token, headers: headers, body: list)
            #expect(refused.status == .badRequest)
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("2099-01-01") == true)
            headers[HTTPField.Name("MCP-Protocol-Version")!] = "2025-11-25"
            let served = try await client.call("/mcp", .post, token: token, headers: headers, body: list)
            #expect(served.status == .ok)
            #expect(served.text.contains("todo://tasks/today"))
        }
        await h.mcp.shutdown()
    }
}
