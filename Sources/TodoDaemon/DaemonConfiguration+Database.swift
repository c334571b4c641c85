public import TodoPostgres
import TodoCore

// MARK: - The database URL

extension DaemonConfiguration {
    /// Parses a database URL: the one place that calls `PostgresStoreConfiguration.parse(url:)`.
    /// - Parameters:
    ///   - url: the URL as given (with its password).
    ///   - source: where it came from (`--database-url`, `TODOD_DATABASE_URL`, `DATABASE_URL`,
    ///     `database_url in FILE`), named in the error.
    /// - Throws: `DaemonError.configuration` naming the source and what is wrong, never the password.
    static func databaseConfiguration(url: String, source: String) throws -> PostgresStoreConfiguration {
        do {
            return try PostgresStoreConfiguration.parse(url: url)
        } catch let error as TodoError {
            throw DaemonError.configuration("\(source): not a usable PostgreSQL URL: \(error.message)")
        } catch {
            throw DaemonError.configuration("\(source): not a usable PostgreSQL URL (\(type(of: error)))")
        }
    }

    /// The PostgreSQL store's configuration, or nil when todod uses the file store.
    /// - Throws: `DaemonError.configuration` when the URL does not parse (`load` has checked it already).
    public func databaseConfiguration() throws -> PostgresStoreConfiguration? {
        guard let databaseURL else { return nil }
        return try Self.databaseConfiguration(url: databaseURL, source: sources["database_url"] ?? "database_url")
    }

    /// The database URL without its password (for `--check-config`, logs and `STATUS=`), or nil.
    public var redactedDatabaseURL: String? {
        guard databaseURL != nil else { return nil }
        return (try? databaseConfiguration())?.redactedURL ?? "<invalid URL>"
    }
}
