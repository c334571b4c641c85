import ChatKitProtocol
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import TodoHTTP
import TodoCore
import TodoStore
import TodoTesting
import TodoTools

// MARK: - The store goes away: REST 503, ChatKit JSON 503 or an in-band error event

/// A responder that makes the store unreachable as soon as its turn starts, then answers with text (whose
/// save then fails).
private struct StoreVanishingResponder: Responder {
    let store: UnreachableDataStore
    func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        store.isUnreachable = true
        return AsyncThrowingStream { continuation in
            continuation.yield(.textDelta("Saved? "))
            continuation.yield(.textDelta("No."))
            continuation.finish()
        }
    }
}

/// A responder whose turn fails because the store is unavailable (for example a history read).
private struct UnavailableResponder: Responder {
    func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: TodoError.unavailable("the database is restarting")) }
    }
}

@Suite("Store unavailable over HTTP")
struct StoreUnavailableTests {
    /// The harness's router over the harness's store wrapped in `UnreachableDataStore`.
    static func app(_ h: HTTPTestHarness, store: UnreachableDataStore, responder: (any Responder)? = nil) -> some ApplicationProtocol {
        var logger = Logger(label: "test.http")
        logger.logLevel = .critical
        let dependencies = HTTPDependencies(
            tasks: store, threads: store, auth: h.auth, responder: responder ?? h.responder, logger: logger,
            mcpEndpoint: MCPHTTPEndpoint(repository: store, logger: logger))
        return Application(router: HTTPServer.makeRouter(configuration: h.configuration, dependencies: dependencies))
    }

    static func expectUnavailableJSON(_ r: TestResponse, _ what: String) {
        #expect(r.status == .serviceUnavailable, "\(what)")
        #expect(r.headers[.contentType] == "application/json", "\(what)")
        #expect(r.headers[.retryAfter] != nil, "\(what)")
        #expect(r.json["error"]?["code"]?.stringValue == "store_unavailable", "\(what): \(r.text)")
        #expect(r.json["error"]?["message"]?.stringValue?.contains(UnreachableDataStore.message) == true, "\(what)")
    }

    @Test("REST: 503 store_unavailable JSON with Retry-After; a refused add changes nothing")
    func restIs503() async throws {
        let h = try await HTTPTestHarness.make()
        let store = UnreachableDataStore(wrapping: h.store)
        let token = try await h.token()
        try await Self.app(h, store: store).test(.router) { client in
            store.isUnreachable = true
            Self.expectUnavailableJSON(try await client.call("/api/tasks", .get, token: token), "list")
            Self.expectUnavailableJSON(try await client.call("/api/tasks", .post, token: token, body: #"{"title":"lost?"}"#), "add")
            store.isUnreachable = false
            let list = try await client.call("/api/tasks", .get, token: token)
            #expect(list.status == .ok)
            #expect(!list.text.contains("lost?"))
        }
    }

    @Test("ChatKit: a non-streaming request answers 503 JSON; a streaming one an in-band error event")
    func chatkitSetup() async throws {
        let h = try await HTTPTestHarness.make()
        let store = UnreachableDataStore(wrapping: h.store)
        let token = try await h.token()
        try await Self.app(h, store: store).test(.router) { client in
            let created = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            let thread = try #require(created.events.first?["thread"]?["id"]?.stringValue)
            store.isUnreachable = true
            Self.expectUnavailableJSON(try await client.chatkit(#"{"type":"threads.list","params":{}}"#, token: token), "threads.list")
            Self.expectUnavailableJSON(
                try await client.chatkit(#"{"type":"threads.get_by_id","params":{"thread_id":"\#(thread)"}}"#, token: token), "get_by_id")
            let add = #"{"type":"threads.add_user_message","params":{"thread_id":"\#(thread)","input":{"content":[{"type":"input_text","text":"hi"}],"attachments":[],"inference_options":{}}}}"#
            for (name, body) in [("threads.create", ChatKitGoldenTests.create), ("add_user_message", add)] {
                let r = try await client.chatkit(body, token: token)
                #expect(r.status == .ok, "\(name)")
                #expect(r.headers[.contentType]?.hasPrefix("text/event-stream") == true, "\(name)")
                let events = r.events
                #expect(events.count == 1, "\(name): \(r.text)")
                #expect(events.first?["type"]?.stringValue == "error", "\(name)")
                #expect(events.first?["allow_retry"]?.boolValue == true, "\(name)")
                #expect(events.first?["message"]?.stringValue == ChatKitServer.storeUnavailableMessage, "\(name)")
            }
        }
    }

    @Test("ChatKit: the store going away during a turn ends the stream with an in-band error event")
    func chatkitDuringTurn() async throws {
        let h = try await HTTPTestHarness.make()
        let store = UnreachableDataStore(wrapping: h.store)
        let token = try await h.token()
        try await Self.app(h, store: store, responder: StoreVanishingResponder(store: store)).test(.router) { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            #expect(r.status == .ok)
            let types = r.events.compactMap { $0["type"]?.stringValue }
            #expect(types.first == "thread.created", "the thread was saved before the turn: \(types)")
            let last = try #require(r.events.last)
            #expect(last["type"]?.stringValue == "error", "\(types)")
            #expect(last["message"]?.stringValue == ChatKitServer.storeUnavailableMessage)
            #expect(last["allow_retry"]?.boolValue == true)
        }
        let failing = try await HTTPTestHarness.make()
        let store2 = UnreachableDataStore(wrapping: failing.store)
        let token2 = try await failing.token()
        try await Self.app(failing, store: store2, responder: UnavailableResponder()).test(.router) { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token2)
            let last = try #require(r.events.last)
            #expect(last["type"]?.stringValue == "error")
            #expect(last["message"]?.stringValue == ChatKitServer.storeUnavailableMessage)
        }
    }
}
