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
