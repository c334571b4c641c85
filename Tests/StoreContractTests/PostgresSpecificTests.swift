import Foundation
import Logging
import PostgresNIO
import Testing
import TodoCore
import TodoPostgres
import TodoStore
import TodoTesting

// MARK: - What only the PostgreSQL store has: URLs, TLS, migrations, row-level security

@Suite("PostgreSQL store specifics")
struct PostgresSpecificTests {
    static let logger = Logger(label: "test.pg")

    @Test("Database URLs parse as libpq reads them, and bad ones say what is wrong without the password")
    func urls() throws {
        let c = try PostgresStoreConfiguration.parse(url: "postgresql://ann:s%40cret@db.example.com:6543/todo?sslmode=verify-full&application_name=x")
        #expect(c.host == "db.example.com" && c.port == 6543 && c.username == "ann" && c.password == "s@cret" && c.database == "todo")
        #expect(c.tlsMode == .verifyFull && c.applicationName == "x")
        #expect(c.redactedURL == "postgres://ann@db.example.com:6543/todo?sslmode=verify-full")
        #expect(!c.redactedURL.contains("cret"))
        let d = try PostgresStoreConfiguration.parse(url: "postgres://bob@127.0.0.1")
        #expect(d.port == 5432 && d.database == "bob" && d.password == nil && d.tlsMode == .prefer)
        for bad in ["mysql://a@b/c", "postgres:///db", "postgres://host/db", "postgres://a:pw@h/d?sslmode=maybe",
                    "postgres://a:pw@h/d?foo=1", "postgres://a:pw@h/d?sslrootcert=/nonexistent/ca.pem", "not a url at all"] {
            do {
                _ = try PostgresStoreConfiguration.parse(url: bad)
                Issue.record("accepted \(bad)")
            } catch let error as TodoError {
                #expect(error.field == "database_url")
                #expect(!error.message.contains("pw@"), "\(error.message)")
            }
        }
    }

    @Test("An unreachable server is a transient error that names the redacted URL", .timeLimit(.minutes(1)))
    func unreachable() async throws {
        var c = try PostgresStoreConfiguration.parse(url: "postgres://todod:secret@127.0.0.1:1/todod?sslmode=disable")
        c.connectTimeout = .seconds(2)
        c.requestTimeout = .seconds(3)
        do {
            _ = try await PostgresStore.open(configuration: c, logger: Self.logger)
            Issue.record("opened a store on port 1")
        } catch let error as PostgresStoreError {
            #expect(error.isTransient)
            #expect(error.message.contains("127.0.0.1:1") && !error.message.contains("secret"), "\(error.message)")
        }
    }

    @Test("Several instances migrate one database at once; a newer schema is refused", .enabled(if: PostgresFixture.isConfigured),
          .timeLimit(.minutes(2)))
    func migrations() async throws {
        let c = try await PostgresFixture.freshDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(configuration: c, logger: Self.logger) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 4)
        let versions = try await PostgresFixture.query(c, "SELECT version FROM todod_schema_migrations ORDER BY version", Int.self)
        #expect(versions == [1, 2])
        for store in stores { await store.close() }
        _ = try await PostgresFixture.query(c, "INSERT INTO todod_schema_migrations (version, name, applied_by) VALUES (99, 'future', 'test') RETURNING version", Int.self)
        do {
            let store = try await PostgresStore.open(configuration: c, logger: Self.logger)
            await store.close()
            Issue.record("opened a database with a newer schema")
        } catch let error as PostgresStoreError {
            #expect(!error.isTransient)
            #expect(error.message.contains("schema is version 99"), "\(error.message)")
        }
    }

    @Test("Text with U+0000, which jsonb cannot hold, is a validation error naming the character, not an internal one",
          .enabled(if: PostgresFixture.isConfigured), .timeLimit(.minutes(2)))
    func nulInText() async throws {
        let store = try await PostgresStore.open(configuration: try await PostgresFixture.freshDatabase(), logger: Self.logger)
        let alice = try UserID("alice")
        do {
            _ = try await store.addTask(TaskDraft(title: "nul \u{0} inside"), for: alice, requestID: nil)
            Issue.record("stored a title with U+0000")
        } catch let error as TodoError {
            #expect(error.code == .validation && error.message.contains("U+0000"), "\(error)")
        }
        let task = try await store.addTask(TaskDraft(title: "fine"), for: alice, requestID: nil)
        #expect(task.title == "fine", "the store still works after the refused write")
        await store.close()
    }

    @Test("Row-level security: a transaction sees and changes only its user's rows", .enabled(if: PostgresFixture.isConfigured),
          .timeLimit(.minutes(2)))
    func rowLevelSecurity() async throws {
        let c = try await PostgresFixture.freshDatabase()
        let store = try await PostgresStore.open(configuration: c, logger: Self.logger)
        let alice = try UserID("alice"), bob = try UserID("bob")
        for i in 0..<3 { _ = try await store.addTask(TaskDraft(title: "a\(i)"), for: alice, requestID: nil) }
        _ = try await store.addTask(TaskDraft(title: "b"), for: bob, requestID: nil)
        try await store.saveThread(StoredThread(id: "thr_b", createdAt: Timestamp(millisecondsSinceEpoch: 1), payload: "{}"), for: bob)
        await store.close()
        // As the same role todod uses, in a transaction set up as todod sets it up for alice:
        let asAlice = "SELECT set_config('todod.user', 'alice', true)"
        #expect(try await PostgresFixture.inTransaction(c, asAlice, "SELECT count(*)::int FROM todod_tasks") == [3])
        #expect(try await PostgresFixture.inTransaction(c, asAlice, "SELECT count(*)::int FROM todod_threads") == [0])
        #expect(try await PostgresFixture.inTransaction(c, asAlice, "WITH u AS (UPDATE todod_tasks SET data = data RETURNING 1) SELECT count(*)::int FROM u") == [3])
        #expect(try await PostgresFixture.inTransaction(c, asAlice, "WITH d AS (DELETE FROM todod_undo RETURNING 1) SELECT count(*)::int FROM d") == [3])
        // Writing a row for another user is refused outright.
        await #expect(throws: (any Error).self) {
            _ = try await PostgresFixture.inTransaction(c, asAlice, "INSERT INTO todod_tasks (user_id, id, data) VALUES ('bob', 'x', '{}') RETURNING 1")
        }
        // Without a user (a statement that forgot set_config), nothing is visible at all.
        #expect(try await PostgresFixture.inTransaction(c, "SELECT 1", "SELECT count(*)::int FROM todod_tasks") == [0])
        #expect(try await PostgresFixture.inTransaction(c, "SELECT 1", "WITH d AS (DELETE FROM todod_tasks RETURNING 1) SELECT count(*)::int FROM d") == [0])
        // A session-level setting from an earlier transaction does not leak into the next one on the same connection.
        #expect(try await PostgresFixture.sameConnectionTwice(c, first: asAlice, then: "SELECT count(*)::int FROM todod_tasks") == [0])
        let reopened = try await PostgresStore.open(configuration: c, logger: Self.logger)
        #expect(try await reopened.tasks(for: bob, filter: .all).map(\.title) == ["b"])
        #expect(try await reopened.tasks(for: alice, filter: .all).count == 3)
        await reopened.close()
    }

    @Test("TLS verify-full: the right CA connects, a wrong CA is refused with a clear message", .enabled(if: PostgresFixture.hasTLS),
          .timeLimit(.minutes(2)))
    func tls() async throws {
        let base = try await PostgresFixture.freshDatabase()
        func url(_ ca: String) -> String {
            "postgres://\(base.username):\(base.password ?? "")@localhost:\(base.port)/\(base.database)?sslmode=verify-full&sslrootcert=\(ca)"
        }
        let env = ProcessInfo.processInfo.environment
        var good = try PostgresStoreConfiguration.parse(url: url(env["TODOD_TEST_PG_CA"] ?? ""))
        good.requestTimeout = .seconds(60)  // a full test run loads both cores; the handshake is what is tested here
        let store = try await PostgresStore.open(configuration: good, logger: Self.logger)
        _ = try await store.addTask(TaskDraft(title: "over TLS"), for: try UserID("alice"), requestID: nil)
        await store.close()
        let wrong = try PostgresStoreConfiguration.parse(url: url(env["TODOD_TEST_PG_WRONG_CA"] ?? ""))
        do {
            let store = try await PostgresStore.open(configuration: wrong, logger: Self.logger)
            await store.close()
            Issue.record("connected with a CA that did not sign the server's certificate")
        } catch let error as PostgresStoreError {
            #expect(!error.isTransient)
            #expect(error.message.contains("TLS verification"), "\(error.message)")
        }
    }
}
