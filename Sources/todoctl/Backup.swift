import ArgumentParser
import Foundation
import TodoControl
import TodoCore

// MARK: - backup

/// `todoctl backup DIR`: an operator gets a consistent copy of the whole data directory, written by the
/// daemon; any other user gets their own data, written by todoctl itself (never by the daemon's uid).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up your data (an operator: all data) into DIR.",
        discussion: """
            As an operator (root or the daemon's user) the daemon writes a consistent copy of the whole data
            directory into DIR (which must be writable by the daemon's user); todod --data-dir DIR opens it.
            Anyone else gets their own tasks and threads as DIR/USER.todod-export.json, written by todoctl
            with your own permissions; `todoctl import` restores it.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The target directory (relative paths are resolved here).") var directory: String

    func run() async throws {
        let absolute = Self.absolute(directory)
        let client = options.client
        let status = try await client.call(ControlMethods.Status.self, EmptyParams())
        guard status.role == .member else {
            let result = try await client.call(ControlMethods.Backup.self, BackupParams(directory: absolute))
            try options.emit(result) { $0.message }
            return
        }
        let document = try await client.call(ControlMethods.Export.self, EmptyParams())
        let file = try Self.writeOwn(document, user: status.user.rawValue, into: absolute)
        try options.emit(["file": file]) { _ in "Backed up your data (\(status.user)) to \(file)" }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Writes `document` to `DIR/USER.todod-export.json` (temp file, fsync, rename); never overwrites.
    static func writeOwn(_ document: JSONValue, user: String, into directory: String) throws -> String {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ValidationErrorExit("cannot create \(directory): \(error.localizedDescription)")
        }
        let target = directory + "/" + user + ".todod-export.json"
        guard !manager.fileExists(atPath: target) else { throw ValidationErrorExit("\(target) already exists; choose another directory") }
        let temporary = target + ".tmp-\(getpid())"
        guard manager.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ValidationErrorExit("cannot write \(temporary)")
        }
        do {
            defer { try? handle.close() }
            try handle.write(contentsOf: Data((try Output.jsonText(document, pretty: true) + "\n").utf8))
            try handle.synchronize()
            try manager.moveItem(atPath: temporary, toPath: target)
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw ValidationErrorExit("cannot write \(target): \(error.localizedDescription)")
        }
        return target
    }
}
