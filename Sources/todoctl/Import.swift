import ArgumentParser
import Foundation
import TodoControl

// MARK: - import

/// `todoctl import FILE`: loads a document written by `todoctl export`.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import a JSON export (tasks with known ids are skipped or updated).",
        discussion: "An operator imports every user the document names; anyone else imports everything into their own user.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The export file ('-' for stdin); a .ics file is read as iCalendar.") var file: String
    @Option(help: "json or ics (default: ics for a .ics file, else json).") var format: DataFormat?

    func run() async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationErrorExit("cannot read \(file)") }
            data = contents
        }
        if DataFormat.forImport(format, file: file) == .ics { return try await CalendarFiles.importFile(options, data: data, file: file) }
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ValidationErrorExit("\(file) is not valid JSON")
        }
        let result = try await options.client.call(ControlMethods.Import.self, ImportParams(data: document))
        try options.emit(result) { $0.message }
    }
}
