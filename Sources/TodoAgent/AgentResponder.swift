public import ChatKitProtocol
public import Logging
public import TodoCore
import MCP
import Synchronization
import TodoTools

// MARK: - AgentResponder

/// The assistant: an LLM agent loop whose only tools are the five in-process MCP task tools,
/// bound to the turn's authenticated user.
///
/// Per turn: use the MCP client connected (over `InMemoryTransport`, kept per user) to a tool
/// server bound to `input.user`; send the system prompt, budgeted history and message with the tools;
/// stream text deltas as they arrive; run tool calls (in parallel) and feed results back, up to
/// `maxRounds` model calls; then, for a new thread, one short model call for its title (the first words
/// when that is off or fails). Reasoning deltas are forwarded apart from the text. Failures end the turn with one
/// `.error` event (always the last event): 401/403 and other 4xx are not retryable, 429/5xx and
/// connection failures are retried twice with backoff, a turn over the time limit is stopped, and
/// text that already streamed before a cut is kept.
public struct AgentResponder: Responder {
    private let client: any LLMClient
    private let configuration: LLMConfiguration
    private let tasks: any TaskRepository
    private let clock: any WallClock
    private let logger: Logger
    /// The tool list from the first turn's `tools/list` (the catalog is fixed for a server build).
    private let toolDefinitions = ToolDefinitionCache()
    /// One in-process MCP session per user, each bound to its user when made.
    private let sessions: ToolSessionPool
    private let metrics: AgentMetrics

    /// - Parameters:
    ///   - client: the model.
    ///   - configuration: model name, limits, retries.
    ///   - tasks: the task store the tools act on.
    ///   - clock: the daemon's clock (the prompt's date and "now" for dates in words).
    ///   - logger: where the agent logs.
    ///   - metrics: model and tool call instruments (records nothing by default).
    public init(client: any LLMClient, configuration: LLMConfiguration, tasks: any TaskRepository,
                clock: any WallClock = SystemWallClock(), logger: Logger, metrics: AgentMetrics = .disabled) {
        self.metrics = metrics
        self.client = client
        self.configuration = configuration
        self.tasks = tasks
        self.clock = clock
        self.logger = logger
        self.sessions = ToolSessionPool(repository: tasks, clock: clock)
    }

    public func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                await runTurn(input) { event in
                    continuation.yield(event)
                    return true
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func respond(to input: ResponderInput, into sink: @escaping ResponderSink) async throws {
        await runTurn(input, sink)
    }

    // MARK: - Turn

    private func runTurn(_ input: ResponderInput, _ out: @escaping ResponderSink) async {
        let limit = configuration.turnTimeoutSeconds
        var failure: (message: String, allowRetry: Bool)?
        let started = ContinuousClock.now
        let reply = ReplyText()
        do {
            let outcome = await Deadlines.shared.run(limit: .milliseconds(Int64(limit * 1000))) { () async -> Result<String, any Error> in
                do { return .success(try await loop(input, out)) } catch { return .failure(error) }
            }
            switch outcome.value {
            case .success(let text): reply.set(text)
            case .failure where outcome.expired: throw TodoAgentError.timeout(seconds: limit)
            case .failure(let error): throw error
            }
        } catch let error as TodoAgentError {
            failure = Self.userFacing(error, configuration: configuration)
        } catch let error as RoundsExhausted {
            failure = ("I stopped after \(error.rounds) rounds of tool calls without a final answer. Please try a simpler request.", true)
        } catch let error as TodoToolsError {
            failure = ("The task tools are unavailable: \(error.message)", true)
        } catch {
            if Task.isCancelled { return }
            failure = ("The assistant failed: \(error)", true)
        }
        if Task.isCancelled { return }
        // A title only after a reply: a failed turn ends with its error, as the last event.
        if input.isNewThread && failure == nil {
            // The answer is complete: its items close and are saved before the (optional, slower) title call.
            if configuration.modelTitles { _ = await out(.replyFinished) }
            let left = limit - (ContinuousClock.now - started).seconds
            let written = configuration.modelTitles ? await modelTitle(input, reply: reply.value, seconds: min(10, left)) : nil
            if Task.isCancelled { return }
            _ = await out(.title(written ?? AgentPrompt.threadTitle(for: input.message)))
        }
        if let failure {
            logger.warning("assistant turn failed", metadata: ["todo.thread.id": .string(input.threadID), "todo.error": .string(failure.message)])
            _ = await out(.error(message: failure.message, allowRetry: failure.allowRetry))
        }
    }

    private struct RoundsExhausted: Error { var rounds: Int }

    /// The turn's rounds; returns the text of the last answer.
    private func loop(_ input: ResponderInput, _ out: @escaping ResponderSink) async throws -> String {
        let session = try await sessions.session(for: input.user, zone: input.timeZone)
        do {
            return try await rounds(input, session, out)
        } catch let error as TodoToolsError {
            await sessions.discard(input.user, zone: input.timeZone)
            throw error
        }
    }

    private func rounds(_ input: ResponderInput, _ session: InProcessToolSession, _ out: @escaping ResponderSink) async throws -> String {
        let tools = try await toolDefinitions.get {
            try await session.listTools().map {
                ToolDefinition(name: $0.name, description: $0.description ?? $0.name, parameters: $0.inputSchema)
            }
        }
        let now = DateContext(now: clock.now(), zone: input.timeZone)
        let budget = AgentPrompt.historyBudget(contextWindow: configuration.contextWindowTokens, tools: tools, message: input.message, context: now)
        var messages = AgentPrompt.messages(history: input.history, message: input.message, budget: budget, context: now)
        var usedCallIDs: Set<String> = []
        for round in 1...max(1, configuration.maxRounds) {
            let request = ChatRequest(model: configuration.model, messages: messages, tools: tools, parallelToolCalls: configuration.parallelToolCalls)
            let (text, calls) = try await callModel(request, out)
            logger.debug("model round done", metadata: ["todo.thread.id": .string(input.threadID), "todo.round": .stringConvertible(round), "todo.tool_calls": .stringConvertible(calls.count)])
            if calls.isEmpty { return text }
            if !text.isEmpty { _ = await out(.endMessage) }
            messages.append(ChatMessage(role: .assistant, content: text.isEmpty ? nil : text, toolCalls: calls))
            // Event ids must be unique within the turn even if a model reuses call ids.
            let eventIDs = calls.map { call -> String in
                var id = call.id
                while usedCallIDs.contains(id) { id += "_\(round)" }
                usedCallIDs.insert(id)
                return id
            }
            for (call, id) in zip(calls, eventIDs) {
                _ = await out(.toolStarted(callID: id, name: call.name, arguments: call.arguments,
                                       title: AgentPrompt.startedTitle(name: call.name, arguments: call.arguments)))
            }
            let outcomes = await withTaskGroup(of: (Int, ToolOutcome).self) { group in
                for (index, call) in calls.enumerated() {
                    group.addTask { (index, await session.call(name: call.name, argumentsJSON: call.arguments)) }
                }
                var results = [ToolOutcome?](repeating: nil, count: calls.count)
                for await (index, outcome) in group { results[index] = outcome }
                return results.map { $0! }
            }
            for ((call, id), outcome) in zip(zip(calls, eventIDs), outcomes) {
                let summary = ToolOutcomeSummary(
                    isError: outcome.isError, taskTitle: outcome.structured?.objectValue?["title"]?.stringValue,
                    count: outcome.structured?.objectValue?["count"]?.intValue)
                metrics.toolCalled(tools.contains { $0.name == call.name } ? call.name : "unknown", isError: outcome.isError)
                _ = await out(.toolFinished(callID: id, title: AgentPrompt.finishedTitle(name: call.name, outcome: summary),
                                        result: outcome.text, isError: outcome.isError))
                messages.append(ChatMessage(role: .tool, content: outcome.isError ? "Error: \(outcome.text)" : outcome.text, toolCallID: call.id))
            }
        }
        throw RoundsExhausted(rounds: configuration.maxRounds)
    }

    // MARK: - Model calls

    /// One model response with retries (429/5xx/connection failures, only before anything streamed).
    private func callModel(_ request: ChatRequest, _ out: @escaping ResponderSink) async throws -> (String, [ToolCallRequest]) {
        var attempt = 0
        while true {
            var text = ""
            var calls: [ToolCallRequest] = []
            let started = ContinuousClock.now
            do {
                do {
                    // Events arrive in this task, straight from the response body (no stream or hop per delta).
                    try await client.stream(request) { event in
                        switch event {
                        case .textDelta(let delta):
                            text += delta
                            _ = await out(.textDelta(delta))
                        case .toolCalls(let received): calls = received
                        case .reasoningDelta(let delta): _ = await out(.reasoningDelta(delta))
                        case .usage, .finished: break
                        }
                    }
                } catch {
                    metrics.modelCallFailed(error)
                    throw error
                }
                metrics.modelCallSucceeded(since: started)
                return (text, calls)
            } catch let error as TodoAgentError where error.isRetryable && text.isEmpty && attempt < configuration.maxRetries {
                attempt += 1
                let delay = configuration.retryBaseDelaySeconds * Double(1 << (attempt - 1))
                logger.info("retrying model call", metadata: ["todo.attempt": .stringConvertible(attempt), "todo.error": .string(error.message)])
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    // MARK: - Title

    /// The title the model writes for a new thread, or nil when the call fails, times out or says nothing
    /// usable (the caller keeps the first words then). Not retried, not counted as a turn's model call.
    private func modelTitle(_ input: ResponderInput, reply: String, seconds: Double) async -> String? {
        guard seconds > 0.05 else { return nil }
        let request = AgentTitles.request(model: configuration.model, message: input.message, reply: reply)
        let client = self.client
        let streamed = await Deadlines.shared.run(limit: .milliseconds(Int64(seconds * 1000))) { () async -> String? in
            var text = ""
            do {
                try await client.stream(request) { event in
                    if case .textDelta(let delta) = event { text += delta }
                }
            } catch {
                return nil
            }
            return text
        }
        let answer = streamed.expired ? nil : streamed.value
        guard let answer, let title = AgentTitles.clean(answer) else {
            logger.info("the model wrote no title; keeping the first words", metadata: ["todo.thread.id": .string(input.threadID)])
            return nil
        }
        return title
    }

    // MARK: - Messages

    static func userFacing(_ error: TodoAgentError, configuration: LLMConfiguration) -> (String, Bool) {
        switch error.kind {
        case .notConfigured: return (error.message, false)
        case .unauthorized:
            return ("The assistant is misconfigured: \(error.message). Check OPENAI_API_KEY / TODOD_LLM_API_KEY and TODOD_LLM_BASE_URL.", false)
        case .rejected:
            let parallel = configuration.parallelToolCalls == nil ? "" : " If the server does not accept parallel_tool_calls, unset TODOD_LLM_PARALLEL_TOOL_CALLS."
            return ("The assistant is misconfigured: \(error.message). Check TODOD_LLM_MODEL ('\(configuration.model)') and TODOD_LLM_BASE_URL.\(parallel)", false)
        case .unavailable:
            return ("The assistant is unavailable: \(error.message) (tried \(configuration.maxRetries + 1) times). Please try again in a moment.", true)
        case .transport: return ("The assistant is unavailable: \(error.message).", true)
        case .streamCut, .protocolViolation: return ("The answer was interrupted: \(error.message). Please try again.", true)
        case .timeout: return ("The assistant timed out: \(error.message). Please try again.", true)
        case .toolsUnsupported:
            return ("The assistant cannot work with the model '\(configuration.model)' at \(configuration.baseURL): \(error.message). "
                + "The assistant needs a model and server with tool calling: choose a model that supports tools with TODOD_LLM_MODEL "
                + "(in Ollama for example qwen2.5 or llama3.1), or enable tools on the server (llama.cpp: start llama-server with --jinja; "
                + "vLLM: --enable-auto-tool-choice --tool-call-parser <parser>), then restart todod.", false)
        }
    }
}

// MARK: - Tool list cache

/// Remembers the first successful `tools/list`, so later turns skip that round trip.
final class ToolDefinitionCache: Sendable {
    private let cached = Mutex<[ToolDefinition]?>(nil)

    func get(_ fetch: () async throws -> [ToolDefinition]) async throws -> [ToolDefinition] {
        if let tools = cached.withLock({ $0 }) { return tools }
        let tools = try await fetch()
        cached.withLock { $0 = tools }
        return tools
    }
}

/// The last answer's text, handed out of the turn's task group.
final class ReplyText: Sendable {
    private let text = Mutex("")
    func set(_ value: String) { text.withLock { $0 = value } }
    var value: String { text.withLock { $0 } }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
