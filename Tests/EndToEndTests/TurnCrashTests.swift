#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoControl
import TodoCore
import TodoTesting

// MARK: - kill -9 during a ChatKit turn

/// A turn makes the user's message durable before the model is called and the rest of the turn durable in one
/// write at its end. Each round starts a real `todod` (file store, HTTP, a scripted model that sends one delta and
/// then stalls), starts a `threads.create` turn, SIGKILLs the daemon a few milliseconds after the model was called,
/// and restarts it: every round's thread must be there with the user's message as its first item.
@Suite("kill -9 during a ChatKit turn", .serialized, .timeLimit(.minutes(3)))
struct TurnCrashTests {
    /// How long after the model request arrived each round kills the daemon.
    static let killDelaysMilliseconds = [0, 5, 20]

    @Test func theUsersMessageSurvivesAKillMidTurn() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-k9-turn-")
        defer { dir.remove() }
        let llm = try await ScriptedLLMServer.start { _, _ in
            .stream(ScriptedLLM.text(["Thinking", " about it"]), delayMilliseconds: 30_000)
        }
        var asked: [String] = []
        for (round, delay) in Self.killDelaysMilliseconds.enumerated() {
            let (daemon, port) = try await Self.start(root: dir.path, llm: llm.baseURL)
            let token = try await ControlClient(socketPath: daemon.socketPath).call(ControlMethods.IssueToken.self, IssueTokenParams(ttlSeconds: 600)).token
            let text = "question \(round)"
            asked.append(text)
            let before = llm.requests.count
            let body = #"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"\#(text)"}],"attachments":[],"inference_options":{}}}}"#
            let turn = Task {
                try? await loopbackHTTP("POST", port: port, path: "/api/chatkit",
                                        headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: body, timeout: 40)
            }
            let called = await waitUntil(timeout: .seconds(30)) { llm.requests.count > before }
            try #require(called, "the model is called in round \(round)")
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            let killed = await daemon.kill9()
            #expect(killed.status != 0, "round \(round): todod was killed, not stopped")
            _ = await turn.value
        }

        let (daemon, port) = try await Self.start(root: dir.path, llm: llm.baseURL)
        let token = try await ControlClient(socketPath: daemon.socketPath).call(ControlMethods.IssueToken.self, IssueTokenParams(ttlSeconds: 600)).token
        let threads = try await Self.chatkit(port: port, token: token, #"{"type":"threads.list","params":{"limit":100,"order":"asc"}}"#)
        let ids = (threads["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        var firstTexts: [String] = []
        for id in ids {
            let items = try await Self.chatkit(port: port, token: token, #"{"type":"items.list","params":{"thread_id":"\#(id)","limit":100,"order":"asc"}}"#)
            let first = (items["data"] as? [[String: Any]])?.first
            #expect(first?["type"] as? String == "user_message", "thread \(id) starts with the user's message: \(items)")
            let content = first?["content"] as? [[String: Any]] ?? []
            firstTexts.append(content.compactMap { $0["text"] as? String }.joined())
        }
        _ = await daemon.stop()
        await llm.stop()
        #expect(ids.count == asked.count, "one thread per killed turn: \(ids)")
        #expect(Set(firstTexts) == Set(asked), "every question survived the kill: \(firstTexts)")
    }

    /// Starts todod on the file store in `root` with HTTP on a free loopback port and the scripted model.
    static func start(root: String, llm: String) async throws -> (DaemonProcess, Int) {
        let port = try freeLoopbackPort()
        let env = ["TODOD_LLM_BASE_URL": llm, "TODOD_LLM_API_KEY": "scripted-key", "TODOD_LLM_MODEL": "scripted"]
        let daemon = try DaemonProcess(
            root: root, extraArguments: ["--http", "127.0.0.1:\(port)", "--chat-rate-limit", "0", "--log-level", "warning"], environment: env)
        try await daemon.waitUntilReady(timeout: .seconds(30))
        try await waitForLoopbackHTTP(port: port, timeout: .seconds(30))
        return (daemon, port)
    }

    /// One non-streaming ChatKit request; the JSON object it answers.
    static func chatkit(port: Int, token: String, _ body: String) async throws -> [String: Any] {
        let response = try await loopbackHTTP("POST", port: port, path: "/api/chatkit",
                                              headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: body, timeout: 20)
        let text = plainBody(response)
        #expect(response.status == 200, "\(body): \(response.status) \(text.prefix(300))")
        return jsonObject(text) ?? [:]
    }
}
