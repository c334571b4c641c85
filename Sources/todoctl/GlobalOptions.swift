import ArgumentParser
import Foundation
import TodoControl

// MARK: - Options every command takes

/// `--socket PATH` and `--json`.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The control socket (env TODOD_CONTROL_SOCKET).", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Print JSON instead of human-readable text.")
    var json = false

    /// The socket path: `--socket`, else the environment and default locations.
    var socketPath: String {
        socket ?? ControlSocketDefaults.clientPath(environment: ProcessInfo.processInfo.environment)
    }

    /// A client for that socket.
    var client: ControlClient { ControlClient(socketPath: socketPath) }

    /// Prints `value` as JSON with `--json`, else `human()`.
    func emit<T: Encodable>(_ value: T, human: (T) -> String) throws {
        if json { try Output.json(value) } else { Output.out(human(value)) }
    }
}
