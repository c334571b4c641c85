import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TodoControl
import TodoCore
import TodoTools

// MARK: - todoctl mcp

/// `todoctl mcp`: a stdio MCP server with the five task tools, forwarding every call to the
/// running daemon over the control socket as the calling OS user (SO_PEERCRED decides whose tasks).
///
/// Client config (Claude Desktop, Claude Code, Cursor, ...):
/// `{"mcpServers": {"todod": {"command": "todoctl", "args": ["mcp"]}}}`
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the task tools over MCP (stdio) for Claude Desktop, Claude Code, Cursor and the like.",
        discussion: "Reads JSON-RPC on stdin, writes it on stdout; each tool call goes to the running todod as the calling user.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.socketPath
        let repository = ControlTaskRepository(client: ControlClient(socketPath: path))
        do {
            _ = try await ControlClient(socketPath: path).call(ControlMethods.Status.self, EmptyParams())
        } catch {
            writeStandardError("todoctl mcp: warning: \(error); tool calls will fail until todod is running\n")
        }
        try await TaskToolServer.runStdio(toolbox: TaskToolbox(repository: repository, user: Self.currentUser()))
    }

    /// The calling user's login name (informational: the daemon identifies the peer itself).
    static func currentUser() -> UserID {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name, let user = try? UserID(String(cString: name)) { return user }
        return (try? UserID("uid\(getuid())")) ?? (try! UserID("user"))
    }
}

private func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}

// MARK: - TaskRepository over the control socket

/// A `TaskRepository` whose calls go to the daemon; the `user` arguments are ignored because the
/// daemon acts for the socket peer. JSON-RPC errors come back as `TodoError` so tools report them clearly.
struct ControlTaskRepository: TaskRepository {
    let client: ControlClient

    func addTask(_ draft: TaskDraft, for user: UserID, requestID: String?) async throws -> TaskItem {
        try await mapped { try await client.call(ControlMethods.AddTask.self, AddTaskParams(title: draft.title, description: draft.description, requestID: requestID)) }
    }

    func tasks(for user: UserID, query: TaskQuery, context: DateContext) async throws -> [TaskItem] {
        try await mapped { try await client.call(ControlMethods.ListTasks.self, ListTasksParams(status: query.status)).tasks }
    }

    func task(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try await mapped { try await client.call(ControlMethods.GetTask.self, TaskIDParams(id: id)) }
    }

    func undo(for user: UserID) async throws -> UndoResult {
        throw TodoError.conflict("undo over todoctl mcp is not wired yet")
    }

    func updateTask(_ id: TaskID, _ patch: TaskPatch, for user: UserID, requestID: String?) async throws -> TaskItem {
        try await mapped {
            try await client.call(ControlMethods.UpdateTask.self, UpdateTaskParams(id: id, title: patch.title, description: patch.description, completed: patch.completed))
        }
    }

    func deleteTask(_ id: TaskID, for user: UserID) async throws -> TaskItem {
        try await mapped { try await client.call(ControlMethods.DeleteTask.self, TaskIDParams(id: id)) }
    }

    func changes(for user: UserID?) -> AsyncStream<TaskChange> {
        AsyncStream { $0.finish() }
    }

    private func mapped<R>(_ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch let error as ControlError {
            guard let rpc = error.rpcError else { throw error }
            switch rpc.code {
            case RPCError.invalidParamsCode: throw TodoError.validation(field: rpc.data?.field ?? "argument", rpc.message)
            case RPCError.notFoundCode: throw TodoError(code: .notFound, message: rpc.message.hasSuffix("not found") ? String(rpc.message.dropLast(10)) : rpc.message)
            case RPCError.conflictCode: throw TodoError.conflict(rpc.message)
            default: throw error
            }
        }
    }
}
