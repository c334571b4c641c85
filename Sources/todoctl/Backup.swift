import ArgumentParser
import Foundation
import TodoControl

// MARK: - backup

/// `todoctl backup DIR`: a consistent copy of the data directory.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of all data into DIR.",
        discussion: "The daemon writes the copy, so DIR must be writable by the daemon's user.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The target directory (relative paths are resolved here).") var directory: String

    func run() async throws {
        let absolute = Self.absolute(directory)
        let result = try await options.client.call(ControlMethods.Backup.self, BackupParams(directory: absolute))
        try options.emit(result) { $0.message }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
