import Testing
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import ChatKitProtocol
import TodoCore
import TodoHTTP
import TodoStore
import TodoTesting
import Logging

// MARK: - Limits, REST tasks, OpenAPI, persistence

@Suite("HTTP limits, REST and persistence")
struct LimitsAndRESTTests {
    @Test("Body over 1 MiB → 413; message over 16 KiB → 422; both JSON")
    func sizeLimits() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let huge = String(repeating: "x", count: (1 << 20) + 10)
            let big = try await client.chatkit(#"{"type":"threads.list","params":{},"pad":"\#(huge)"}"#, token: token)
            #expect(big.status == .contentTooLarge)
            #expect(big.json["error"]?["code"]?.stringValue == "payload_too_large")
            let long = String(repeating: "y", count: 16 * 1024 + 1)
            let msg = try await client.chatkit(#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"\#(long)"}],"attachments":[],"inference_options":{}}}}"#, token: token)
            #expect(msg.status == .unprocessableContent)
            let justFits = String(repeating: "y", count: 16 * 1024)
            let ok = try await client.chatkit(#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"\#(justFits)"}],"attachments":[],"inference_options":{}}}}"#, token: token)
            #expect(ok.status == .ok)
        }
    }

    @Test("Chat turns are rate limited per user (429 + Retry-After); 0 turns the limit off; concurrent streams are capped")
    func rateLimit() async throws {
        let h = try await HTTPTestHarness.make(configuration: HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 2))
        let alice = try await h.token("alice")
        let bob = try await h.token("bob")
        try await h.test { client in
            #expect(try await client.chatkit(ChatKitGoldenTests.create, token: alice).status == .ok)
            #expect(try await client.chatkit(ChatKitGoldenTests.create, token: alice).status == .ok)
            let third = try await client.chatkit(ChatKitGoldenTests.create, token: alice)
            #expect(third.status == .tooManyRequests)
            #expect(Int(third.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.call("/api/chat", .post, token: alice, body: #"{"message":"hi"}"#).status == .tooManyRequests)
            #expect(try await client.chatkit(ChatKitGoldenTests.create, token: bob).status == .ok, "limits are per user")
            #expect(try await client.chatkit(#"{"type":"threads.list","params":{}}"#, token: alice).status == .ok, "reads are not limited")
        }
        let off = try await HTTPTestHarness.make(configuration: HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0))
        let token = try await off.token()
        try await off.test { client in
            for _ in 0..<25 {
                let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
                #expect(r.status == .ok)
            }
        }
        let slow = ScriptedResponder(events: [.textDelta("a"), .textDelta("b")], delayMilliseconds: 300)
        let capped = try await HTTPTestHarness.make(responder: slow, configuration: HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0, maxConcurrentStreamsPerUser: 1))
        let t = try await capped.token()
        try await capped.test { client in
            async let first = client.chatkit(ChatKitGoldenTests.create, token: t)
            // The second turn starts once the first one holds the slot (its responder was called).
            #expect(await waitUntil { !slow.inputs.all.isEmpty }, "the first turn started")
            let second = try await client.chatkit(ChatKitGoldenTests.create, token: t)
            #expect(second.status == .tooManyRequests)
            #expect(try await first.status == .ok)
            #expect(try await client.chatkit(ChatKitGoldenTests.create, token: t).status == .ok, "the slot is released when the stream ends")
        }
    }

    @Test("REST tasks: create, list with status, get, patch, complete, reopen, delete; 422 names the field")
    func restTasks() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let created = try await client.call("/api/tasks", .post, token: token, body: #"{"title":"  buy milk ","description":"2 l"}"#)
            #expect(created.status == .created)
            #expect(created.json["title"]?.stringValue == "buy milk")
            let id = try #require(created.json["id"]?.stringValue)
            let empty = try await client.call("/api/tasks", .post, token: token, body: #"{"title":"   "}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.json["error"]?["field"]?.stringValue == "title")
            let wrongType = try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"{"completed":"yes"}"#)
            #expect(wrongType.json["error"]?["field"]?.stringValue == "completed")
            let badFilter = try await client.call("/api/tasks?status=done", .get, token: token)
            #expect(badFilter.status == .unprocessableContent)
            #expect(badFilter.json["error"]?["field"]?.stringValue == "status")
            #expect(try await client.call("/api/tasks/\(id)/complete", .post, token: token).json["completed"] == true)
            #expect(try await client.call("/api/tasks?status=pending", .get, token: token).json == .array([]))
            #expect(try await client.call("/api/tasks?status=completed", .get, token: token).json.arrayValue?.count == 1)
            #expect(try await client.call("/api/tasks/\(id)/reopen", .post, token: token).json["completed"] == false)
            let patched = try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"{"title":"buy oat milk","description":""}"#)
            #expect(patched.json["title"]?.stringValue == "buy oat milk")
            #expect(patched.json["description"] == nil, "empty description clears it; nulls are omitted")
            #expect(try await client.call("/api/tasks/\(id)", .delete, token: token).status == .ok)
            #expect(try await client.call("/api/tasks/\(id)", .get, token: token).status == .notFound)
            // Undo brings a deleted task back (schemathesis's use-after-free check cannot know that: see
            // Tests/Interop/openapi/schemathesis.toml); deleting it again deletes it again.
            #expect(try await client.call("/api/undo", .post, token: token).json["undone"]?.stringValue == "deleted")
            #expect(try await client.call("/api/tasks/\(id)", .get, token: token).status == .ok)
            #expect(try await client.call("/api/tasks/\(id)", .delete, token: token).status == .ok)
            #expect(try await client.call("/api/tasks/\(id)", .get, token: token).status == .notFound)
            #expect(try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"{"title":"gone"}"#).status == .notFound)
            #expect(try await client.call("/api/tasks", .post, token: token, body: "nope").status == .badRequest)
        }
    }

    @Test("OpenAPI 3.1 lists exactly the router's routes")
    func openAPIMatchesRoutes() async throws {
        let h = try await HTTPTestHarness.make()
        let router = HTTPServer.makeRouter(configuration: h.configuration, dependencies: h.dependencies)
        let routes = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
        let token = try await h.token()
        let doc = try await h.test { client in try await client.call("/api/openapi.json", .get, token: token).json }
        #expect(doc["openapi"]?.stringValue == "3.1.0")
        var documented = Set<String>()
        for (path, ops) in doc["paths"]?.objectValue ?? [] {
            for (method, _) in ops.objectValue ?? [] { documented.insert("\(method) \(path)") }
        }
        #expect(routes == documented, "missing from doc: \(routes.subtracting(documented)); not routed: \(documented.subtracting(routes))")
    }

    @Test("Threads survive a restart: threads.list and items.list are unchanged after reopening the store")
    func persistenceAcrossRestart() async throws {
        let first = try await HTTPTestHarness.make()
        let token = try await first.token()
        let (list, items, thread) = try await first.test { client in
            let created = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            let thread = try #require(created.events.first?["thread"]?["id"]?.stringValue)
            _ = try await client.chatkit(ChatKitGoldenTests.addMessage(thread, "hello there"), token: token)
            let list = try await client.chatkit(#"{"type":"threads.list","params":{}}"#, token: token).text
            let items = try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)"}}"#, token: token).text
            return (list, items, thread)
        }
        await first.store.close()
        let second = try await HTTPTestHarness.make(directory: first.directory)
        try await second.test { client in
            let relisted = try await client.chatkit(#"{"type":"threads.list","params":{}}"#, token: token)
            #expect(relisted.text == list)
            #expect(try await client.chatkit(#"{"type":"items.list","params":{"thread_id":"\#(thread)"}}"#, token: token).text == items)
            #expect(list.contains("\"title\":\"add buy milk\""))
        }
    }

    @Test("GET /healthz needs no auth; pages carry CSP, nosniff and X-Frame-Options DENY")
    func healthAndPages() async throws {
        let h = try await HTTPTestHarness.make()
        try await h.test { client in
            #expect(try await client.call("/healthz", .get).status == .ok)
            let page = try await client.call("/", .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(try await client.call("/assets/../secret", .get).status == .notFound)
            let mcpAnonymous = try await client.call("/mcp", .post, body: #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)
            #expect(mcpAnonymous.status == .unauthorized, "/mcp needs the bearer token like /api")
        }
    }
}
