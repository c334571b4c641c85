public import Foundation
public import Logging
public import MCP
public import TodoCore

// MARK: - Server factory

/// Builds MCP servers that expose the five task tools for one bound user.
public enum TaskToolServer {
    /// The server name reported in `initialize`.
    public static let name = "todod-tasks"
    /// The server version reported in `initialize`.
    public static let version = "1.0.0"

    /// A started-later MCP `Server` whose `tools/list` and `tools/call` run `toolbox`, and whose resources are the
    /// user's task views (`resources/list`, `resources/templates/list`, `resources/read`, `resources/subscribe`).
    /// - Parameters:
    ///   - toolbox: the tools, bound to one user.
    ///   - subscriptions: the session's resource subscriptions (pass one to `stop()` it when the session ends; by
    ///     default a new one, whose watcher ends with the first change after the server is released).
    /// - Returns: the server; call `start(transport:)` on it.
    public static func makeServer(toolbox: TaskToolbox, subscriptions: TaskResourceSubscriptions? = nil) async -> Server {
        let server = Server(
            name: name, version: version, title: "todod tasks",
            instructions: "Manage the signed-in user's tasks: add_task, list_tasks, complete_task, delete_task, update_task. "
                + "Give due dates and recurrences in plain words; the server resolves them in the user's time zone. "
                + "Resources: todo://tasks/today, todo://tasks/upcoming and todo://task/{task_id} (subscribe for changes).",
            capabilities: .init(resources: .init(subscribe: true, listChanged: false), tools: .init(listChanged: false)))
        let subscriptions = subscriptions ?? TaskResourceSubscriptions(repository: toolbox.repository, user: toolbox.user)
        await subscriptions.attach(server)
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: TaskToolCatalog.tools)
        }
        await server.withMethodHandler(CallTool.self) { params in
            await toolbox.call(name: params.name, arguments: params.arguments)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: TaskResourceCatalog.resources)
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: TaskResourceCatalog.templates)
        }
        await server.withMethodHandler(ReadResource.self) { params in
            try await toolbox.readResource(uri: params.uri)
        }
        await server.withMethodHandler(ResourceSubscribe.self) { params in
            try await subscriptions.subscribe(params.uri)
            return Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { params in
            await subscriptions.unsubscribe(params.uri)
            return Empty()
        }
        return server
    }

    /// Serves the tools over stdin/stdout until stdin closes (for `todoctl mcp`).
    /// - Parameters:
    ///   - toolbox: the tools, bound to one user.
    ///   - logger: where the transport logs (must not be stdout); nil logs nothing.
    public static func runStdio(toolbox: TaskToolbox, logger: Logger? = nil) async throws {
        let server = await makeServer(toolbox: toolbox)
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }
}

// MARK: - In-process session

/// One tool result as the agent sees it.
public struct ToolOutcome: Sendable, Hashable {
    /// The text content (JSON for successes, a message for errors).
    public var text: String
    /// Whether the tool reported an error.
    public var isError: Bool
    /// The structured result, when the tool returned one.
    public var structured: Value?

    /// - Parameters:
    ///   - text: the text form.
    ///   - isError: whether it is a tool error.
    ///   - structured: the structured JSON.
    public init(text: String, isError: Bool, structured: Value? = nil) {
        self.text = text
        self.isError = isError
        self.structured = structured
    }
}

/// An MCP client connected over `InMemoryTransport` to a tool server bound to one user,
/// in the same process: no subprocess, no socket.
public struct InProcessToolSession: Sendable {
    private let client: Client
    private let server: Server

    /// Starts a server bound to `user` and connects a client to it.
    /// - Parameters:
    ///   - repository: the task store.
    ///   - user: the user every call acts for.
    ///   - context: now and the user's zone, per call (dates in words are read in it).
    /// - Throws: `TodoToolsError.sessionFailed`.
    public static func connect(
        repository: any TaskRepository, user: UserID,
        context: @escaping @Sendable () -> DateContext = { DateContext(now: SystemWallClock().now(), zone: .current) }
    ) async throws -> InProcessToolSession {
        let server = await TaskToolServer.makeServer(toolbox: TaskToolbox(repository: repository, user: user, context: context))
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        let client = Client(name: "todod-agent", version: TaskToolServer.version)
        do {
            try await server.start(transport: serverTransport)
            _ = try await client.connect(transport: clientTransport)
        } catch {
            await server.stop()
            throw TodoToolsError.sessionFailed("\(error)")
        }
        return InProcessToolSession(client: client, server: server)
    }

    /// The tools the server offers (`tools/list`).
    public func listTools() async throws -> [Tool] {
        do { return try await client.listTools().tools } catch { throw TodoToolsError.callFailed("\(error)") }
    }

    /// Calls a tool with arguments given as JSON text, as a model produces them.
    ///
    /// Arguments that are not a JSON object come back as a tool error without reaching the server.
    /// - Parameters:
    ///   - name: the tool name (unknown names come back as tool errors from the server).
    ///   - argumentsJSON: the arguments; empty text means `{}`.
    public func call(name: String, argumentsJSON: String) async -> ToolOutcome {
        let trimmed = argumentsJSON.trimmingCharacters(in: .whitespacesAndNewlines)
        var arguments: [String: Value] = [:]
        if !trimmed.isEmpty {
            guard let decoded = try? JSONDecoder().decode(Value.self, from: Data(trimmed.utf8)), let object = decoded.objectValue else {
                return ToolOutcome(text: "The arguments for \(name) are not a JSON object: \(trimmed.prefix(200)). Send a JSON object matching the tool's schema.", isError: true)
            }
            arguments = object
        }
        do {
            let context: RequestContext<CallTool.Result> = try await client.callTool(name: name, arguments: arguments)
            let result = try await context.value
            let text = result.content.compactMap { content -> String? in
                if case .text(let text, _, _) = content { return text }
                return nil
            }.joined(separator: "\n")
            return ToolOutcome(text: text, isError: result.isError ?? false, structured: result.structuredContent)
        } catch {
            return ToolOutcome(text: "The tool \(name) failed: \(error)", isError: true)
        }
    }

    /// Disconnects the client and stops the server.
    public func close() async {
        await client.disconnect()
        await server.stop()
    }
}
