public import TodoStore
public import TodoCore
import FoundationEssentials
import Dispatch
import Synchronization

// MARK: - SessionFile

/// The browser sessions file `sessions.json` in the data directory (mode 0600), written through a
/// `StorageBackend`: `POSIXStorage` in the daemon, `SimulatedDisk` in tests.
///
/// Every save replaces the whole file crash-safely: a temp file is written and fsynced, renamed over the
/// old one, and the directory is fsynced. Saves run on a serial Dispatch queue (never on Swift's
/// cooperative pool); a snapshot older than one already on disk is skipped.
public final class SessionFile: Sendable {
    /// The file name inside the data directory.
    public static let name = "sessions.json"

    /// The data directory.
    public let directory: String
    /// The file's path.
    public var path: String { directory + "/" + Self.name }
    private let backend: any StorageBackend
    private let queue = DispatchQueue(label: "todo.auth.sessions")
    private let lastWritten = Mutex<UInt64>(0)

    /// - Parameters:
    ///   - directory: the data directory (must exist).
    ///   - backend: the disk.
    public init(directory: String, backend: any StorageBackend) {
        self.directory = directory
        self.backend = backend
    }

    private struct Document: Codable {
        var version: Int
        var sessions: [StoredSession]
    }

    /// The saved sessions (expired ones included); none when the file does not exist. Blocking: call at start-up.
    /// - Throws: `AuthError.sessionFile` when it cannot be read or is not a session file.
    public func load() throws -> [StoredSession] {
        guard backend.exists(path) else { return [] }
        let bytes: [UInt8]
        do { bytes = try backend.read(path) } catch { throw AuthError.sessionFile("\(path): cannot read: \(error)") }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(bytes)), document.version == 1 else {
            throw AuthError.sessionFile("\(path): not a todod session file (remove it to sign every browser out)")
        }
        return document.sessions
    }

    /// Durably replaces the saved sessions with `sessions`.
    /// - Parameters:
    ///   - sessions: every live session.
    ///   - generation: increases with every snapshot; an older one than the last written is skipped.
    /// - Throws: `AuthError.sessionFile` when the disk refuses.
    public func save(_ sessions: [StoredSession], generation: UInt64) async throws {
        let bytes: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            bytes = Array(try encoder.encode(Document(version: 1, sessions: sessions))) + [0x0A]
        } catch {
            throw AuthError.sessionFile("\(path): cannot encode: \(error)")
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                do {
                    if self.lastWritten.withLock({ $0 >= generation }) { return continuation.resume() }
                    try self.write(bytes)
                    self.lastWritten.withLock { $0 = max($0, generation) }
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Temp file, fsync, rename, directory fsync (blocking; on `queue` only).
    private func write(_ bytes: [UInt8]) throws {
        let temp = path + ".tmp"
        do {
            if backend.exists(temp) { try backend.remove(temp) }
            let file = try backend.open(temp, mode: .createExclusive)
            do {
                try backend.write(file, bytes)
                try backend.fsync(file)
            } catch {
                backend.close(file)
                try? backend.remove(temp)
                throw error
            }
            backend.close(file)
            try backend.rename(temp, to: path)
            try backend.fsyncDirectory(directory)
        } catch {
            throw AuthError.sessionFile("\(path): cannot save: \(error)")
        }
    }
}
