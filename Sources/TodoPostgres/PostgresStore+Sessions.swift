import PostgresNIO
public import TodoCore

// MARK: - SessionRepository

extension PostgresStore {
    /// Saves a browser session for every instance (and drops expired ones).
    public func saveSession(_ session: StoredSession) async throws {
        let (logger, nowMs) = (self.logger, clock.now().millisecondsSinceEpoch)
        try await transaction(nil) { connection in
            try await connection.query("DELETE FROM todod_sessions WHERE expires_ms <= \(nowMs)", logger: logger)
            try await connection.query("""
                INSERT INTO todod_sessions (digest, user_id, expires_ms) VALUES (\(session.digest), \(session.user), \(session.expiresMs))
                ON CONFLICT (digest) DO UPDATE SET user_id = EXCLUDED.user_id, expires_ms = EXCLUDED.expires_ms
                """, logger: logger)
        }
    }

    /// The live session with this digest, whichever instance created it.
    public func session(digest: String, nowMs: Int64) async throws -> StoredSession? {
        let logger = self.logger
        return try await transaction(nil) { connection in
            let rows = try await connection.query(
                "SELECT user_id, expires_ms FROM todod_sessions WHERE digest = \(digest) AND expires_ms > \(nowMs)", logger: logger)
            for try await (user, expires) in rows.decode((String, Int64).self) {
                return StoredSession(digest: digest, user: user, expiresMs: expires)
            }
            return nil
        }
    }

    /// Ends a session on every instance.
    public func deleteSession(digest: String) async throws {
        let logger = self.logger
        try await transaction(nil) { connection in
            try await connection.query("DELETE FROM todod_sessions WHERE digest = \(digest)", logger: logger)
        }
    }

    /// The auth secret every instance on this database shares: the one stored, or `candidate` (stored now when
    /// none is). Tokens and session cookies from one instance are then valid on all.
    /// - Parameter candidate: at least 32 random bytes, used when the database has no secret yet.
    public func sharedSecret(candidate: [UInt8]) async throws -> [UInt8] {
        let logger = self.logger
        let hex = candidate.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
        let stored = try await transaction(nil) { connection in
            try await connection.query(
                "INSERT INTO todod_settings (key, value) VALUES ('auth_secret', \(hex)) ON CONFLICT (key) DO NOTHING", logger: logger)
            return try await Self.single(connection.query("SELECT value FROM todod_settings WHERE key = 'auth_secret'", logger: logger), String.self)
        }
        guard let stored, stored.count % 2 == 0, stored.count >= 64 else {
            throw PostgresStoreError(message: "the database's auth secret (todod_settings) is malformed", isTransient: false)
        }
        var bytes: [UInt8] = []
        var index = stored.startIndex
        while index < stored.endIndex {
            let next = stored.index(index, offsetBy: 2)
            guard let byte = UInt8(stored[index..<next], radix: 16) else {
                throw PostgresStoreError(message: "the database's auth secret (todod_settings) is malformed", isTransient: false)
            }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
