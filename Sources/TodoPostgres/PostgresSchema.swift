import Logging
import PostgresNIO

// MARK: - Schema

/// The schema, as numbered migrations embedded in the binary. `migrate` applies the missing ones in one
/// transaction under a transaction-scoped advisory lock, so several todod instances may start at once; the
/// applied versions are recorded in `todod_schema_migrations`. A database whose schema is newer than this binary
/// knows is refused (an older todod must not write rows it does not understand).
enum PostgresSchema {
    /// The advisory lock key every instance takes while migrating ("todo" in ASCII).
    static let migrationLockKey: Int64 = 0x746F_646F

    /// The newest version this binary knows.
    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Row-level security: a user table shows and accepts only rows of the transaction's user
    /// (`todod.user`), or every row while `todod.scope` is `all` (export, statistics and the change listener).
    static func userPolicy(_ table: String) -> [String] {
        let mine = "user_id = current_setting('todod.user', true) OR current_setting('todod.scope', true) = 'all'"
        return [
            "ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE \(table) FORCE ROW LEVEL SECURITY",
            "CREATE POLICY \(table)_by_user ON \(table) USING (\(mine)) WITH CHECK (\(mine))",
        ]
    }

    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (1, "tasks, threads, sessions, undo history and the change log", [
            """
            CREATE TABLE todod_tasks (
                user_id text NOT NULL,
                id text NOT NULL,
                position bigserial NOT NULL,
                data jsonb NOT NULL,
                completion_request_id text,
                PRIMARY KEY (user_id, id)
            )
            """,
            "CREATE INDEX todod_tasks_order ON todod_tasks (user_id, position)",
            """
            CREATE TABLE todod_request_ids (
                user_id text NOT NULL,
                request_id text NOT NULL,
                task_id text NOT NULL,
                last_state jsonb,
                PRIMARY KEY (user_id, request_id)
            )
            """,
            """
            CREATE TABLE todod_undo (
                user_id text NOT NULL,
                seq bigserial NOT NULL,
                action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
                task jsonb NOT NULL,
                PRIMARY KEY (user_id, seq)
            )
            """,
            """
            CREATE TABLE todod_threads (
                user_id text NOT NULL,
                id text COLLATE "C" NOT NULL,
                created_at_ms bigint NOT NULL,
                payload jsonb NOT NULL,
                PRIMARY KEY (user_id, id)
            )
            """,
            "CREATE INDEX todod_threads_order ON todod_threads (user_id, created_at_ms, id)",
            """
            CREATE TABLE todod_items (
                user_id text NOT NULL,
                thread_id text NOT NULL,
                id text NOT NULL,
                position bigserial NOT NULL,
                created_at_ms bigint NOT NULL,
                payload jsonb NOT NULL,
                PRIMARY KEY (user_id, thread_id, id),
                FOREIGN KEY (user_id, thread_id) REFERENCES todod_threads (user_id, id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX todod_items_order ON todod_items (user_id, thread_id, position)",
            """
            CREATE TABLE todod_sessions (
                digest text PRIMARY KEY,
                user_id text NOT NULL,
                expires_ms bigint NOT NULL
            )
            """,
            "CREATE TABLE todod_settings (key text PRIMARY KEY, value text NOT NULL)",
            """
            CREATE TABLE todod_change_log (
                seq bigserial PRIMARY KEY,
                user_id text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('created', 'updated', 'deleted')),
                task jsonb NOT NULL,
                logged_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ] + ["todod_tasks", "todod_request_ids", "todod_undo", "todod_threads", "todod_items", "todod_change_log"].flatMap(userPolicy)),
        (2, "feedback on chat items", [
            """
            CREATE TABLE todod_feedback (
                user_id text NOT NULL,
                thread_id text NOT NULL,
                item_id text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('positive', 'negative')),
                PRIMARY KEY (user_id, thread_id, item_id),
                FOREIGN KEY (user_id, thread_id, item_id) REFERENCES todod_items (user_id, thread_id, id) ON DELETE CASCADE
            )
            """,
        ] + userPolicy("todod_feedback")),
    ]

    /// Brings the database to `latestVersion`.
    /// - Returns: the versions applied now (empty when the schema was current).
    /// - Throws: `PostgresStoreError` (not transient) when the database is newer than this binary.
    static func migrate(_ client: PostgresClient, binaryVersion: String, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS todod_schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    applied_by text NOT NULL
                )
                """, logger: logger)
            var current = 0
            for try await (version) in try await connection.query(
                "SELECT coalesce(max(version), 0) FROM todod_schema_migrations", logger: logger
            ).decode(Int.self) {
                current = version
            }
            guard current <= latestVersion else {
                throw PostgresStoreError(
                    message: "the database schema is version \(current), newer than this todod knows (\(latestVersion)); "
                        + "run a todod at least as new as the one that migrated it", isTransient: false)
            }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO todod_schema_migrations (version, name, applied_by) VALUES (\(migration.version), \(migration.name), \(binaryVersion))",
                    logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }
}
