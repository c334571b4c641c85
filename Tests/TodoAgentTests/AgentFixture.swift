import ChatKitProtocol
import Logging
import TodoAgent
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Fixture

/// A store on a simulated disk, two users, and helpers to run a responder turn.
struct AgentFixture {
    let store: Store
    /// The daemon's clock (the store's and the assistant's).
    let clock: ManualWallClock
    let alice = try! UserID("alice")
    let bob = try! UserID("bob")
    let logger = Logger(label: "todo.test.agent")

    /// - Parameter now: the fixed "now" of the daemon's clock (default 2026-01-01T00:00:00Z).
    static func make(now: Timestamp = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)) async throws -> AgentFixture {
        let clock = ManualWallClock(start: now)
        let store = try await Store.open(directory: "/todod", backend: SimulatedDisk(), clock: clock,
                                         logger: Logger(label: "todo.test.store"))
        return AgentFixture(store: store, clock: clock)
    }

    /// A configuration pointing at `server`, with short retry delays for tests.
    func configuration(_ server: ScriptedLLMServer, timeout: Double = 30, maxRounds: Int = 8) -> LLMConfiguration {
        LLMConfiguration(baseURL: server.baseURL, apiKey: "sk-test", model: "scripted-model",
                         turnTimeoutSeconds: timeout, maxRounds: maxRounds, retryBaseDelaySeconds: 0.01)
    }

    func responder(_ server: ScriptedLLMServer, timeout: Double = 30, maxRounds: Int = 8) -> any Responder {
        makeResponder(configuration: configuration(server, timeout: timeout, maxRounds: maxRounds), tasks: store, clock: clock, logger: logger)
    }

    /// Runs one turn to the end and returns every event.
    func turn(_ responder: any Responder, _ message: String, user: UserID? = nil, history: [ConversationEntry] = [], isNew: Bool = false) async throws -> [ResponderEvent] {
        let input = ResponderInput(user: user ?? alice, threadID: "thr_test", isNewThread: isNew, history: history, message: message)
        var events: [ResponderEvent] = []
        for try await event in responder.respond(to: input) { events.append(event) }
        return events
    }
}

// MARK: - Event helpers

extension [ResponderEvent] {
    var text: String {
        compactMap { if case .textDelta(let d) = $0 { return d } else { return nil } }.joined()
    }

    var started: [(name: String, title: String)] {
        compactMap { if case .toolStarted(_, let name, _, let title) = $0 { return (name, title) } else { return nil } }
    }

    var finished: [(title: String, result: String, isError: Bool)] {
        compactMap { if case .toolFinished(_, let title, let result, let isError) = $0 { return (title, result, isError) } else { return nil } }
    }

    var error: (message: String, allowRetry: Bool)? {
        for case .error(let message, let allowRetry) in self { return (message, allowRetry) }
        return nil
    }

    /// The history entries this turn would leave (as the ChatKit layer persists them).
    func history(user message: String) -> [ConversationEntry] {
        var out: [ConversationEntry] = [.user(message)]
        var args: [String: (String, String)] = [:]
        for event in self {
            switch event {
            case .toolStarted(let id, let name, let arguments, _): args[id] = (name, arguments)
            case .toolFinished(let id, _, let result, let isError):
                out.append(.tool(callID: id, name: args[id]?.0 ?? "", arguments: args[id]?.1 ?? "", result: result, isError: isError))
            default: break
            }
        }
        if !text.isEmpty { out.append(.assistant(text)) }
        return out
    }
}
