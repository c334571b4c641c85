import ArgumentParser
import Foundation
import TodoControl

// MARK: - export

/// `todoctl export [FILE]`: every user's data as one JSON document (`--format ics`: your tasks as iCalendar).
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export your data (an operator: every user's) as JSON to FILE (or stdout).",
        discussion: "With --format ics: your own tasks as iCalendar VTODOs (RFC 5545), for other task apps.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Where to write; stdout when omitted.") var file: String?
    @Option(help: "json (default: the full todod document) or ics (your tasks as iCalendar).") var format: DataFormat = .json
    @Option(help: ArgumentHelp("Where to write (same as FILE).", valueName: "file")) var output: String?

    func validate() throws {
        if file != nil && output != nil { throw ValidationError("give the file once: FILE or --output") }
    }

    func run() async throws {
        let file = output ?? file
        if format == .ics { return try await CalendarFiles.export(options, to: file) }
        let document = try await options.client.call(ControlMethods.Export.self, EmptyParams())
        let text = try Output.jsonText(document, pretty: !options.json)
        guard let file else {
            Output.out(text)
            return
        }
        do {
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw ValidationErrorExit("cannot write \(file): \(error.localizedDescription)")
        }
        if options.json {
            try Output.json(["file": file])
        } else {
            Output.out("Exported to \(file)")
        }
    }
}

/// A plain error message that exits 1.
struct ValidationErrorExit: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
