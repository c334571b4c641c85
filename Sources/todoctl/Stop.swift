import ArgumentParser
import TodoControl

// MARK: - stop

/// `todoctl stop`: graceful shutdown (like SIGTERM).
struct Stop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop the daemon gracefully (operators only: root or the daemon's user).",
        discussion: "Under systemd with Restart=on-failure the daemon stays stopped; use systemctl to restart it.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let result = try await options.client.call(ControlMethods.Shutdown.self, EmptyParams())
        try options.emit(result) { $0.message }
    }
}
