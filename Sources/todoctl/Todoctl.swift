import ArgumentParser
import Foundation
import TodoControl

// MARK: - Root command

/// The root command: subcommands, plus exit codes 0 ok / 1 error / 2 usage.
struct Todoctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "todoctl",
        abstract: "Control todod and manage your tasks from the shell.",
        discussion: """
            Talks to todod over its Unix control socket: --socket PATH, else $TODOD_CONTROL_SOCKET, else
            $XDG_RUNTIME_DIR/todod/todod.sock (or /tmp/todod-UID/todod.sock), else /run/todod/todod.sock.
            Every command takes --json for scripts. Exit status: 0 ok, 1 error, 2 usage.
            Shell completions: todoctl --generate-completion-script bash|zsh|fish
            """,
        subcommands: subcommandList)

    /// `--socket` and `--json` before the subcommand (`todoctl --socket PATH status`), as `git -C` or
    /// `docker -H` take them; ArgumentParser hands the same values to the subcommand's own option group.
    @OptionGroup var global: GlobalOptions

    static var subcommandList: [any ParsableCommand.Type] {
        var list: [any ParsableCommand.Type] = [
            Add.self, List.self, Today.self, Upcoming.self, Show.self, Done.self, Undone.self, Edit.self, Undo.self, Remove.self, Status.self, Backup.self,
            Export.self, Import.self, Compact.self, Watch.self, Stop.self, Token.self, Open.self,
        ]
        list += extraSubcommands
        return list
    }

    /// Parses the arguments, runs the command and exits with 0, 1 or 2.
    static func runMain() async -> Never {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.out(fullMessage(for: error))
                Foundation.exit(0)
            }
            Output.err(fullMessage(for: error))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 0 : 2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            Foundation.exit(0)
        } catch let error as ControlError {
            Output.err(Output.describe(error))
            Foundation.exit(1)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Help requests, usage errors raised while running, and everything else.
            let code = exitCode(for: error)
            if code == .success {
                Output.out(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                Output.err(fullMessage(for: error))
                Foundation.exit(2)
            }
            Output.err("todoctl: \(error)")
            Foundation.exit(1)
        }
    }
}
