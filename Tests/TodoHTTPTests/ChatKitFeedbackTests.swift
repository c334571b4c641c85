import Testing
import HummingbirdTesting
import ChatKitProtocol
import TodoCore
import TodoHTTP
import TodoStore
import HTTPTypes

// MARK: - items.feedback is stored

@Suite("ChatKit items.feedback stored through the thread repository")
struct ChatKitFeedbackTests {
    @Test("thumbs up then down on an assistant message: stored once, latest wins; unknown items and other users refused")
    func feedbackStored() async throws {
        let h = try await HTTPTestHarness.make()
        let alice = try await h.token("alice")
        let bob = try await h.token("bob")
        try await h.test { client in
            let created = try await client.chatkit(ChatKitGoldenTests.create, token: alice)
            let thread = try #require(created.events.first?["thread"]?["id"]?.stringValue)
            let reply = try #require(created.events.first {
                $0["type"]?.stringValue == "thread.item.done" && $0["item"]?["type"]?.stringValue == "assistant_message"
            }?["item"]?["id"]?.stringValue)
            func feedback(_ kind: String, _ ids: [String], thread: String = thread, token: String) async throws -> TestResponse {
                let list = ids.map { "\"\($0)\"" }.joined(separator: ",")
                return try await client.chatkit(#"{"type":"items.feedback","params":{"thread_id":"\#(thread)","item_ids":[\#(list)],"kind":"\#(kind)"}}"#, token: token)
            }
            let aliceID = try UserID("alice")
            #expect(try await h.store.feedbackCounts(for: aliceID) == FeedbackCounts())

            let up = try await feedback("positive", [reply], token: alice)
            #expect(up.status == .ok && up.text == "{}")
            #expect(try await h.store.feedbackCounts(for: aliceID) == FeedbackCounts(positive: 1, negative: 0))
            let down = try await feedback("negative", [reply], token: alice)
            #expect(down.status == .ok)
            #expect(try await h.store.feedback(threadID: thread, for: aliceID) == [reply: .negative])

            let missing = try await feedback("positive", [reply, "msg_nothere"], token: alice)
            #expect(missing.status == .notFound)
            let foreign = try await feedback("positive", [reply], token: bob)
            #expect(foreign.status == .notFound)
            #expect(try await h.store.feedbackCounts(for: aliceID) == FeedbackCounts(positive: 0, negative: 1))
            #expect(try await h.store.feedbackCounts(for: try UserID("bob")) == FeedbackCounts())
        }
    }
}
