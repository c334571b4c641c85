import ArgumentParser

// MARK: - Subcommands owned by others

extension Todoctl {
    /// Subcommands implemented in other engineers' files: `mcp` (MCPCommand.swift, the agent engineer's).
    static var extraSubcommands: [any ParsableCommand.Type] { [MCPCommand.self] }
}
