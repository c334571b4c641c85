import Foundation
import Logging
import PostgresNIO
import TodoPostgres
import TodoTesting

// MARK: - Direct SQL for the PostgreSQL-specific tests

/// Throwaway databases on the test cluster (`TODOD_TEST_DATABASE_URL`, from `scripts/pg-cluster`), and raw SQL
/// as the same role todod uses.
enum PostgresFixture {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var isConfigured: Bool { PostgresTestDatabase.isConfigured }
    static var hasTLS: Bool { isConfigured && environment["TODOD_TEST_PG_CA"] != nil && environment["TODOD_TEST_PG_WRONG_CA"] != nil }

    /// A new empty database (`PostgresTestDatabase.fresh`).
    static func freshDatabase() async throws -> PostgresStoreConfiguration {
        try await PostgresTestDatabase.fresh()
    }

    static let logger = Logger(label: "test.pg.fixture")

    static func withConnection<R: Sendable>(_ c: PostgresStoreConfiguration, _ body: (PostgresConnection) async throws -> R) async throws -> R {
        let configuration = PostgresConnection.Configuration(
            host: c.host, port: c.port, username: c.username, password: c.password, database: c.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs each statement of `sql` in turn, as todod's role.
    static func execute(_ c: PostgresStoreConfiguration, _ sql: [String]) async throws {
        try await withConnection(c) { connection in
            for statement in sql { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
        }
    }

    /// The first column of every row of `sql`.
    static func query<T: PostgresDecodable & Sendable>(_ c: PostgresStoreConfiguration, _ sql: String, _ type: T.Type) async throws -> [T] {
        try await withConnection(c) { connection in
            var out: [T] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(T.self) { out.append(value) }
            return out
        }
    }

    /// `setup` then `sql` in one transaction, rolled back; the integers `sql` returns.
    static func inTransaction(_ c: PostgresStoreConfiguration, _ setup: String, _ sql: String) async throws -> [Int] {
        try await withConnection(c) { connection in
            try await connection.query("BEGIN", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: setup), logger: logger)
            var out: [Int] = []
            do {
                for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) { out.append(value) }
            } catch {
                try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.query("ROLLBACK", logger: logger)
            return out
        }
    }

    /// `first` in a committed transaction, then `then` in a second one on the same connection.
    static func sameConnectionTwice(_ c: PostgresStoreConfiguration, first: String, then: String) async throws -> [Int] {
        try await withConnection(c) { connection in
            try await connection.query("BEGIN", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: first), logger: logger)
            try await connection.query("COMMIT", logger: logger)
            var out: [Int] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: then), logger: logger).decode(Int.self) { out.append(value) }
            return out
        }
    }
}
