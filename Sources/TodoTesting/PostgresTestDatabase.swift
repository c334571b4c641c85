import Foundation
import Logging
import NIOSSL
import PostgresNIO
public import TodoPostgres

// MARK: - Throwaway PostgreSQL databases for tests

/// Fresh, empty databases on the test cluster named by `TODOD_TEST_DATABASE_URL`
/// (`postgres://todod:PASSWORD@127.0.0.1:PORT/todod?sslmode=disable`, a role with CREATEDB; `scripts/test` exports it).
///
/// Tests that need PostgreSQL are enabled with `.enabled(if: PostgresTestDatabase.isConfigured)`; when
/// `TODOD_REQUIRE_POSTGRES=1` a missing or unreachable database must fail a test, never skip it.
public enum PostgresTestDatabase {
    /// The variable holding the admin URL.
    public static let urlVariable = "TODOD_TEST_DATABASE_URL"
    /// The variable that makes PostgreSQL mandatory (`1`).
    public static let requireVariable = "TODOD_REQUIRE_POSTGRES"

    /// The admin URL, or nil when unset or empty.
    public static var url: String? {
        guard let value = ProcessInfo.processInfo.environment[urlVariable], !value.isEmpty else { return nil }
        return value
    }

    /// Whether `TODOD_TEST_DATABASE_URL` is set.
    public static var isConfigured: Bool { url != nil }

    /// Whether `TODOD_REQUIRE_POSTGRES=1`: PostgreSQL tests must run (and fail when the database is missing).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment[requireVariable] == "1" }

    /// Creates a new empty database `t_<random>` and returns the admin URL with the database name replaced.
    /// - Throws: `TestingError` when the URL is unset or malformed, or the server refuses.
    /// - Parameter adminURL: another cluster's admin URL (the fault test runs its own); default `TODOD_TEST_DATABASE_URL`.
    public static func freshURL(adminURL: String? = nil) async throws -> String {
        let admin = try AdminURL(try adminURL ?? requireURL())
        let name = "t_" + randomSuffix()
        try await withConnection(admin) { connection, logger in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
        }
        return admin.replacingDatabase(with: name)
    }

    /// Creates a new empty database `t_<random>` and returns the store configuration for it. Pools are kept small
    /// (4 connections) so that many parallel test cases stay under the server's `max_connections`.
    /// - Throws: `TestingError` when the URL is unset or malformed or the server refuses; `TodoError` when the
    ///   store's URL parser rejects it.
    public static func fresh() async throws -> PostgresStoreConfiguration {
        var configuration = try PostgresStoreConfiguration.parse(url: try await freshURL())
        configuration.maximumConnections = 4
        // ~300 tests share two cores in a full run: a request may wait long for one of 4 connections. The
        // product's 10 s bound is exercised through real todod processes (DatabaseFaultTests), not here.
        configuration.requestTimeout = .seconds(60)
        return configuration
    }

    /// Drops a database made by `fresh()` or `freshURL()` (connections still open to it are ended).
    /// - Parameter database: its name (`t_…`).
    public static func drop(_ database: String, adminURL: String? = nil) async throws {
        guard database.hasPrefix("t_"), database.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw TestingError("refusing to drop \(database): not a test database")
        }
        let admin = try AdminURL(try adminURL ?? requireURL())
        try await withConnection(admin) { connection, logger in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(database)\" WITH (FORCE)"), logger: logger)
        }
    }

    /// Connects with the admin URL and runs `SELECT 1`.
    /// - Throws: `TestingError` naming the URL (without its password) and what failed.
    public static func checkReachable() async throws {
        let admin = try AdminURL(try requireURL())
        try await withConnection(admin) { connection, logger in
            let rows = try await connection.query("SELECT 1::int4", logger: logger)
            for try await (one) in rows.decode(Int32.self) where one != 1 {
                throw TestingError("SELECT 1 returned \(one)")
            }
        }
    }

    // MARK: Internals

    private static func requireURL() throws -> String {
        guard let url else { throw TestingError("\(urlVariable) is unset") }
        return url
    }

    private static func randomSuffix() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<12).map { _ in letters.randomElement()! })
    }

    private static func withConnection(
        _ admin: AdminURL, _ body: (PostgresConnection, Logger) async throws -> Void
    ) async throws {
        let logger = Logger(label: "todo.test.postgres") { _ in SwiftLogNoOpLogHandler() }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try admin.configuration(), id: 1, logger: logger)
        } catch {
            throw TestingError("cannot connect to \(admin.redacted): \(String(reflecting: error))")
        }
        do {
            try await body(connection, logger)
        } catch {
            try? await connection.close()
            throw TestingError("query on \(admin.redacted) failed: \(String(reflecting: error))")
        }
        try? await connection.close()
    }
}

/// The parts of a `postgres://` URL the admin connection needs.
struct AdminURL {
    let components: URLComponents
    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    let sslmode: String

    init(_ text: String) throws {
        guard let c = URLComponents(string: text), let scheme = c.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = c.host, !host.isEmpty, let user = c.user, !user.isEmpty else {
            throw TestingError("\(PostgresTestDatabase.urlVariable) is not a postgres://user@host/db URL")
        }
        components = c
        self.host = host
        port = c.port ?? 5432
        self.user = user
        password = c.password
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        database = path.isEmpty ? user : path
        sslmode = c.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
    }

    /// The URL without its password, for messages.
    var redacted: String {
        var c = components
        if c.password != nil { c.password = "****" }
        return c.string ?? "\(host):\(port)"
    }

    /// The same URL naming another database (query and credentials kept as they were).
    func replacingDatabase(with name: String) -> String {
        var c = components
        c.percentEncodedPath = "/" + name
        return c.string!
    }

    /// The connection configuration; TLS (unverified: this is test set-up, the store under test verifies) unless
    /// `sslmode=disable`.
    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        if sslmode == "disable" {
            tls = .disable
        } else {
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            let context = try NIOSSLContext(configuration: config)
            tls = ["require", "verify-ca", "verify-full"].contains(sslmode) ? .require(context) : .prefer(context)
        }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
