import ChatKitProtocol
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TodoAuth
import TodoTesting

// MARK: - Reasoning and model-written titles through POST /api/chatkit

@Suite("ChatKit end to end: reasoning as a thought task, the model's title as thread.updated")
struct ChatKitReasoningTitleTests {
    @Test("DeepSeek-style reasoning streams as a collapsed thought workflow; the title call's answer arrives as thread.updated")
    func reasoningAndTitle() async throws {
        let f = try await AgentFixture.make()
        let payloads = try StreamFixtures.payloads("deepseek-reasoning-content")
        let server = try await ScriptedLLMServer.start(
            titles: { _ in .stream(ScriptedLLM.text(["Friendly greeting"])) },
            script: { _, _ in .stream(payloads, done: false) })
        defer { Task { await server.stop() } }
        let rig = try ChatKitEndToEndTests.Rig(f, server)
        let token = try await rig.auth.issueToken(for: f.alice, ttlSeconds: 600)
        try await rig.app.test(.router) { client in
            let response = try await ChatKitEndToEndTests.post(client, ChatKitEndToEndTests.create("hi"), token: token)
            #expect(response.status == .ok)
            let events = ChatKitEndToEndTests.events(response)
            let thread = try #require((events.first?["thread"] as? [String: Any])?["id"] as? String)
            // The answer text holds no reasoning.
            let deltas = events.compactMap { ($0["update"] as? [String: Any]).flatMap { $0["type"] as? String == "assistant_message.content_part.text_delta" ? $0["delta"] as? String : nil } }
            #expect(deltas.joined() == "Hello! How can I help?")
            // The thought: a workflow added collapsed, done with the whole reasoning and a "Thought" summary.
            let done = events.filter { $0["type"] as? String == "thread.item.done" }.compactMap { $0["item"] as? [String: Any] }
            let workflow = try #require(done.first { $0["type"] as? String == "workflow" }?["workflow"] as? [String: Any])
            let task = try #require((workflow["tasks"] as? [[String: Any]])?.first)
            #expect(task["type"] as? String == "thought")
            #expect(task["content"] as? String == "Nothing to do with tools; just greet.")
            #expect(workflow["expanded"] as? Bool == false)
            // The title, last.
            let updated = try #require(events.last { $0["type"] as? String == "thread.updated" })
            #expect((updated["thread"] as? [String: Any])?["title"] as? String == "Friendly greeting")
            #expect(server.titleRequests.count == 1)

            // After a reload: the thought is still there and the title stuck.
            let read = try await ChatKitEndToEndTests.post(client, #"{"type":"threads.get_by_id","params":{"thread_id":"\#(thread)"}}"#, token: token)
            let body = try #require(ChatKitEndToEndTests.json(read) as? [String: Any])
            #expect(body["title"] as? String == "Friendly greeting")
            let items = ((body["items"] as? [String: Any])?["data"] as? [[String: Any]]) ?? []
            #expect(items.compactMap { $0["type"] as? String } == ["user_message", "workflow", "assistant_message"])
        }
    }
}
