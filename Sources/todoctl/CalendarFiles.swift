import ArgumentParser
import Foundation
import TodoControl

// MARK: - iCalendar export and import

/// The file format of `todoctl export` / `todoctl import`.
enum DataFormat: String, ExpressibleByArgument, CaseIterable {
    /// todod's JSON export document (every field, chat threads too).
    case json
    /// iCalendar (RFC 5545) VTODOs, for other task apps.
    case ics

    /// The format to import `file` as: `--format`, else `ics` for a `.ics`/`.ical`/`.ifb` name, else JSON.
    static func forImport(_ format: DataFormat?, file: String) -> DataFormat {
        if let format { return format }
        let ext = (file as NSString).pathExtension.lowercased()
        return ["ics", "ical", "icalendar"].contains(ext) ? .ics : .json
    }
}

/// `todoctl export --format ics` and `todoctl import FILE.ics`, over `tasks.export_ics` / `tasks.import_ics`.
enum CalendarFiles {
    /// Writes the caller's tasks as iCalendar to `file` (stdout when nil).
    static func export(_ options: GlobalOptions, to file: String?) async throws {
        let result = try await options.client.call(ControlMethods.ExportICS.self, EmptyParams())
        guard let file else {
            FileHandle.standardOutput.write(Data(result.text.utf8))
            return
        }
        do {
            try Data(result.text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw ValidationErrorExit("cannot write \(file): \(error.localizedDescription)")
        }
        if options.json {
            try Output.json(["file": file, "count": String(result.count)])
        } else {
            Output.out("Exported \(result.count) task(s) as iCalendar to \(file)")
        }
    }

    /// Imports the iCalendar `data` read from `file`; prints the count and every problem with its line.
    /// - Throws: `ExitCode(1)` when nothing could be imported.
    static func importFile(_ options: GlobalOptions, data: Data, file: String) async throws {
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationErrorExit("\(file) is not UTF-8 text") }
        guard data.count <= 900_000 else { throw ValidationErrorExit("\(file) is too large (\(data.count) bytes; at most 900000)") }
        let params = ImportICSParams(text: text, floatingZone: TimeZone.current.identifier)
        let result = try await options.client.call(ControlMethods.ImportICS.self, params)
        if options.json {
            try Output.json(result)
        } else {
            Output.out("\(file): \(result.message)")
            for problem in result.problems {
                Output.err(problem.line > 0 ? "\(file):\(problem.line): \(problem.message)" : "\(file): \(problem.message)")
            }
        }
        if result.imported == 0 {
            if !options.json { Output.err("todoctl: nothing could be imported from \(file)") }
            throw ExitCode(1)
        }
    }
}
