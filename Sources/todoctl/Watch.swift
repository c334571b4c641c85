import ArgumentParser
import TodoControl
import Foundation
import TodoCore

// MARK: - watch

/// `todoctl watch`: prints task changes as they happen, until interrupted or the daemon stops.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print task changes as they happen (Ctrl-C to stop).")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "Exit after this many events.") var count: Int?

    func run() async throws {
        var seen = 0
        let json = options.json
        if !json { Output.err("Watching \(options.socketPath) for task changes...") }
        try await options.client.withConnection { connection in
            try await connection.subscribe { change in
                if json {
                    try Output.json(change)
                } else {
                    Output.out("\(Output.shortTime(change.task.updatedAt))  \(change.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(change.task.id)  \(change.task.completed ? "[x]" : "[ ]") \(change.task.title)")
                }
                seen += 1
                return count.map { seen < $0 } ?? true
            } onResync: {
                Output.err("todod may have missed changes (its database was unreachable for long); run `todoctl list` to re-read. Watching again...")
            }
        }
    }
}
