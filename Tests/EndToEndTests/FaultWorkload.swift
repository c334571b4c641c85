import Foundation
import TodoControl
import TodoCore
import TodoTesting

// MARK: - The load the database fault test runs through two instances

/// What the workers saw: acknowledged adds, finished chat turns, and every failure, classified.
struct FaultLedger: Sendable {
    /// An acknowledged add: request id → (task id, title).
    var acked: [String: (id: String, title: String)] = [:]
    /// Adds that never got an answer before the deadline.
    var gaveUp: [String] = []
    /// Finished chat turns: the thread and the title its add_task call used.
    var turns: [(thread: String, title: String)] = []
    /// Turns that failed with a clear error, and the thread they started (if any).
    var failedTurns: [(thread: String?, error: String)] = []
    /// Clear failures by kind (REST 503 store_unavailable, control -32002, ChatKit error event).
    var clear: [String: Int] = [:]
    /// Failures that are not a clear store error (a product problem), with detail.
    var unexpected: [String] = []
    /// The slowest failed request.
    var slowestFailure: Duration = .zero
    /// Requests sent and not answered yet: what → when sent.
    var inFlight: [String: ContinuousClock.Instant] = [:]
}

/// Runs adds (with request ids, retried on the other instance after an error) and ChatKit turns until told to stop.
struct FaultWorkload: Sendable {
    let pair: PGPair
    let tokens: [String: String]
    let ledger = Locked(FaultLedger())
    let stopping = SignalFlag()

    /// Runs `body` as an in-flight request named `what` (so requests that never answer can be reported).
    func tracked<R>(_ what: String, _ body: () async -> R) async -> R {
        let key = what + " #" + UUID().uuidString.prefix(6)
        ledger.update { $0.inFlight[key] = .now }
        let result = await body()
        ledger.update { $0.inFlight[key] = nil }
        return result
    }

    func instance(_ n: Int) -> PGInstance { n % 2 == 0 ? pair.a : pair.b }

    /// Adds `add-w-k` one after another (at most `count`) until `stopping`; each retried until acknowledged.
    func addWorker(_ w: Int, count: Int, deadline: ContinuousClock.Instant) async {
        for k in 0..<count where !stopping.isSet {
            let title = "add-\(w)-\(k)", rid = "fault-\(w)-\(k)"
            var attempt = 0
            while true {
                let target = instance(w + k + attempt)
                let useREST = (w / 2 + attempt) % 2 == 0
                let started = ContinuousClock.now
                let answer = await tracked("\(useREST ? "REST" : "control") add \(rid) on \(target.name)") {
                    await tryAdd(title, rid, on: target, rest: useREST, started: started)
                }
                if let id = answer {
                    ledger.update { $0.acked[rid] = (id, title) }
                    break
                }
                attempt += 1
                if ContinuousClock.now > deadline { ledger.update { $0.gaveUp.append(rid) }; return }
                try? await Task.sleep(for: .milliseconds(100))  // the client's retry backoff
            }
        }
    }

    /// One add attempt; the task id, or nil after recording the failure.
    private func tryAdd(_ title: String, _ rid: String, on target: PGInstance, rest: Bool, started: ContinuousClock.Instant) async -> String? {
        if rest {
            do {
                let response = try await target.rest("POST", "/api/tasks", token: tokens[target.name]!,
                                                     body: #"{"title":"\#(title)","request_id":"\#(rid)"}"#, timeout: 30)
                if response.status == 201 || response.status == 200, let id = jsonObject(response.body)?["id"] as? String { return id }
                let code = (jsonObject(response.body)?["error"] as? [String: Any])?["code"] as? String
                if response.status == 503 && code == "store_unavailable" && response.header("retry-after") != nil {
                    failed("REST 503 store_unavailable (Retry-After)", since: started)
                } else {
                    failed(nil, since: started, detail: "REST add on \(target.name): \(response.status) \(response.body.prefix(200))")
                }
            } catch {
                failed(nil, since: started, detail: "REST add on \(target.name): \(error)")
            }
            return nil
        }
        do {
            return try await target.control.call(ControlMethods.AddTask.self, AddTaskParams(title: title, requestID: rid)).id.rawValue
        } catch let error as ControlError where error.rpcError?.code == -32002 {
            failed("control -32002", since: started)
        } catch {
            failed(nil, since: started, detail: "control add on \(target.name): \(error)")
        }
        return nil
    }

    /// ChatKit turns `chat-c-k` (a new thread each, the model calls add_task) until `stopping`.
    func chatWorker(_ c: Int, count: Int) async {
        for k in 0..<count where !stopping.isSet {
            let target = instance(c + k)
            let title = "chat-\(c)-\(k)"
            let started = ContinuousClock.now
            let outcome = await tracked("ChatKit turn \(title) on \(target.name)") { await chatTurn(title, on: target) }
            switch outcome {
            case .finished(let thread): ledger.update { $0.turns.append((thread, title)) }
            case .clearError(let thread, let kind, let message):
                failed(kind, since: started)
                ledger.update { $0.failedTurns.append((thread, message)) }
            case .unexpected(let detail): failed(nil, since: started, detail: "ChatKit on \(target.name): \(detail)")
            }
        }
    }

    enum TurnOutcome {
        case finished(thread: String)
        case clearError(thread: String?, kind: String, message: String)
        case unexpected(String)
    }

    /// One `threads.create` turn through `target`.
    func chatTurn(_ text: String, on target: PGInstance) async -> TurnOutcome {
        let body = #"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"\#(text)"}],"attachments":[],"inference_options":{}}}}"#
        let response: LoopbackHTTPResponse
        do {
            response = try await target.rest("POST", "/api/chatkit", token: tokens[target.name]!, body: body, timeout: 40)
        } catch {
            return .unexpected("\(error)")
        }
        let text = plainBody(response)
        guard response.status == 200 else {
            let code = (jsonObject(text)?["error"] as? [String: Any])?["code"] as? String
            if response.status == 503 && code == "store_unavailable" { return .clearError(thread: nil, kind: "ChatKit HTTP 503 store_unavailable", message: text) }
            return .unexpected("status \(response.status): \(text.prefix(200))")
        }
        let events = sseEvents(text)
        let thread = events.first { $0["type"] as? String == "thread.created" }.flatMap { ($0["thread"] as? [String: Any])?["id"] as? String }
        if let error = events.first(where: { $0["type"] as? String == "error" }) {
            return .clearError(thread: thread, kind: "ChatKit in-band error event", message: "\(error)")
        }
        let replied = events.contains { event in
            event["type"] as? String == "thread.item.done" && (event["item"] as? [String: Any])?["type"] as? String == "assistant_message"
        }
        guard let thread, replied else { return .unexpected("no thread or no reply: \(text.prefix(300))") }
        return .finished(thread: thread)
    }

    private func failed(_ kind: String?, since started: ContinuousClock.Instant, detail: String = "") {
        let took = started.duration(to: .now)
        ledger.update { ledger in
            if let kind { ledger.clear[kind, default: 0] += 1 } else { ledger.unexpected.append(detail) }
            ledger.slowestFailure = max(ledger.slowestFailure, took)
        }
    }
}

// MARK: - The scripted model

/// The model calls add_task with the user's text as the title, then says "Added." after a successful tool result, or
/// "Not added: <result>" when the tool reported a failure (the store was unavailable).
let addTaskModel: ScriptedLLMServer.Script = { request, n in
    let messages = request.messages
    if messages.last?["role"] as? String == "tool" {
        let result = messages.last?["content"] as? String ?? ""
        let failed = result.contains("unavailable") || result.hasPrefix("Error") || result.contains("\"isError\":true")
        return .stream(ScriptedLLM.text([failed ? "Not added: \(result.prefix(200))" : "Added."]))
    }
    var text = "untitled"
    if let content = messages.last?["content"] as? String {
        text = content
    } else if let parts = messages.last?["content"] as? [[String: Any]] {
        text = parts.compactMap { $0["text"] as? String }.joined()
    }
    let arguments = String(decoding: (try? JSONSerialization.data(withJSONObject: ["title": text])) ?? Data("{}".utf8), as: UTF8.self)
    return .stream(ScriptedLLM.toolCalls([ScriptedLLM.Call(id: "call_\(n)", name: "add_task", arguments: arguments)]))
}
