public import TodoCore

// MARK: - FileSessionRepository

/// Browser sessions of the file store: kept in memory and, with a `SessionFile`, saved as a whole to
/// `sessions.json` in the data directory on every change, durably before the change is acknowledged.
///
/// The file's live sessions are loaded once, at init (expired ones dropped); lookups never touch the disk.
/// Snapshots carry an increasing generation, so a slower save of an older snapshot never overwrites a newer
/// one. When a save fails the change is undone in memory (a new session is not valid); a failed sign-out
/// stays signed out in memory (until the next restart reads the old file) and reports the error.
/// Without a file (`file: nil`) sessions live in memory only and end with the process.
public actor FileSessionRepository: SessionRepository {
    private let file: SessionFile?
    private let clock: any WallClock
    private var sessions: [String: StoredSession] = [:]
    private var generation: UInt64 = 0

    /// - Parameters:
    ///   - file: the session file, or nil to keep sessions in memory only.
    ///   - clock: the time source for dropping expired sessions at load and on save.
    /// - Throws: `AuthError.sessionFile` when the file exists but cannot be read or is not a session file.
    public init(file: SessionFile?, clock: any WallClock) throws {
        self.file = file
        self.clock = clock
        let now = clock.now().millisecondsSinceEpoch
        var live: [String: StoredSession] = [:]
        for stored in try file?.load() ?? [] where stored.expiresMs > now && (try? UserID(stored.user)) != nil {
            live[stored.digest] = stored
        }
        self.sessions = live
    }

    public func saveSession(_ session: StoredSession) async throws {
        let previous = sessions.updateValue(session, forKey: session.digest)
        do {
            try await persist()
        } catch {
            sessions[session.digest] = previous
            throw error
        }
    }

    public func session(digest: String, nowMs: Int64) async throws -> StoredSession? {
        guard let stored = sessions[digest] else { return nil }
        guard stored.expiresMs > nowMs else {
            sessions.removeValue(forKey: digest)
            return nil
        }
        return stored
    }

    public func deleteSession(digest: String) async throws {
        guard sessions.removeValue(forKey: digest) != nil else { return }
        try await persist()
    }

    /// How many sessions are live at `nowMs` (tests and diagnostics).
    /// - Parameter nowMs: the current time in ms since the epoch.
    public func liveCount(nowMs: Int64) -> Int {
        sessions.values.filter { $0.expiresMs > nowMs }.count
    }

    /// Writes every live session to the file (no-op without one); expired ones are dropped from memory too.
    private func persist() async throws {
        guard let file else { return }
        let now = clock.now().millisecondsSinceEpoch
        sessions = sessions.filter { $0.value.expiresMs > now }
        generation += 1
        let snapshot = sessions.values.sorted { $0.digest < $1.digest }
        try await file.save(snapshot, generation: generation)
    }
}
