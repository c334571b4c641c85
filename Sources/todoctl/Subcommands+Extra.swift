import ArgumentParser

// MARK: - Subcommands owned by others

extension Todoctl {
    /// Subcommands implemented in other engineers' files (for example `MCPCommand.swift`). Add them here.
    static var extraSubcommands: [any ParsableCommand.Type] { [MCPCommand.self] }
}
