import Synchronization
import Testing
import ChatKitProtocol
import TodoCore
import TodoStore

// MARK: - Durable writes per turn

/// A turn makes the user's message durable before the model is called, and everything else of the turn (its
/// items and the title) durable in one more write at its end, before the stream ends.
@Suite("ChatKit turn writes")
struct TurnWriteTests {
    static let events: [ResponderEvent] = [
        .toolStarted(callID: "call_1", name: "add_task", arguments: #"{"title":"buy milk"}"#, title: "Adding a task"),
        .toolFinished(callID: "call_1", title: "Added a task", result: "Added buy milk", isError: false),
        .textDelta("Added "), .textDelta("buy milk."), .title("Milk"),
    ]

    @Test("threads.create: two fdatasyncs (thread + message, then workflow + reply + title); the message is saved before the model runs")
    func newThread() async throws {
        let probe = StoreProbeResponder(events: Self.events)
        let h = try await HTTPTestHarness.make(responder: probe)
        probe.store.withLock { $0 = h.store }
        let token = try await h.token()
        let before = await h.store.stats()
        try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            let types = r.events.compactMap { $0["type"]?.stringValue }
            #expect(types.first == "thread.created" && types.last == "thread.updated", "\(types)")
            #expect(!types.contains("error"), "\(types)")
        }
        let after = await h.store.stats()
        #expect(after.syncs - before.syncs == 2, "fdatasyncs for one turn: \(after.syncs - before.syncs)")
        #expect(after.appends - before.appends == 2, "appends for one turn: \(after.appends - before.appends)")
        let seen = probe.seen.withLock { $0 }
        #expect(seen == ["user_message"], "what the store held when the model was called: \(seen)")
        let user = try UserID("alice")
        let thread = try #require(try await h.store.threads(for: user, page: PageRequest()).data.first)
        #expect(thread.payload.contains("Milk"), "the title is saved: \(thread.payload)")
        let items = try await h.store.items(threadID: thread.id, for: user, page: PageRequest(limit: 10, order: .asc)).data
        let kinds = items.map { ChatKitItemKind.of($0.payload) }
        #expect(kinds == ["user_message", "workflow", "assistant_message"], "\(kinds)")
    }

    @Test("threads.add_user_message: one fdatasync for the message, one for the rest of the turn")
    func laterTurn() async throws {
        let probe = StoreProbeResponder(events: [.textDelta("Sure."), .endMessage, .textDelta("Anything else?")])
        let h = try await HTTPTestHarness.make(responder: probe)
        probe.store.withLock { $0 = h.store }
        let token = try await h.token()
        let thread = try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            return try #require(r.events.first?["thread"]?["id"]?.stringValue)
        }
        let before = await h.store.stats()
        try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.addMessage(thread, "and eggs"), token: token)
            #expect(r.events.contains { $0["type"]?.stringValue == "thread.item.done" })
        }
        let after = await h.store.stats()
        #expect(after.syncs - before.syncs == 2 && after.appends - before.appends == 2, "\(before) → \(after)")
        let items = try await h.store.items(threadID: thread, for: try UserID("alice"), page: PageRequest(limit: 20, order: .asc)).data
        #expect(items.map { ChatKitItemKind.of($0.payload) } == [
            "user_message", "assistant_message", "assistant_message", "user_message", "assistant_message", "assistant_message",
        ])
    }
}

/// The `type` of a stored item payload.
enum ChatKitItemKind {
    static func of(_ payload: String) -> String { (try? JSONValue.parse(payload))?["type"]?.stringValue ?? "?" }
}

/// Replays `events` and records the types of the items the store held for the thread when it was called.
final class StoreProbeResponder: Responder {
    let events: [ResponderEvent]
    let store = Mutex<Store?>(nil)
    let seen = Mutex<[String]>([])

    init(events: [ResponderEvent]) { self.events = events }

    func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ResponderEvent, any Error>.makeStream()
        let events = self.events, store = self.store.withLock { $0 }
        Task {
            if let store, let page = try? await store.items(threadID: input.threadID, for: input.user, page: PageRequest(limit: 100, order: .asc)) {
                self.seen.withLock { $0 = page.data.map { ChatKitItemKind.of($0.payload) } }
            }
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
        return stream
    }
}
