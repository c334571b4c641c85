import Foundation
public import NIOSSL
public import PostgresNIO
public import TodoCore

// MARK: - PostgresStoreConfiguration

/// Where and how todod reaches its PostgreSQL database, parsed from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem`.
///
/// `sslmode` follows libpq: `disable`, `allow` and `prefer` (TLS when offered, nothing verified), `require` (TLS,
/// nothing verified), `verify-ca` (TLS, the chain checked against `sslrootcert` or the system CAs) and `verify-full`
/// (also the host name) — what managed services such as Neon ask for.
public struct PostgresStoreConfiguration: Sendable {
    /// libpq's `sslmode` values.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Role name.
    public var username: String
    /// Password, if any (never logged).
    public var password: String?
    /// Database name (the role name when the URL names none, as libpq does).
    public var database: String
    /// TLS mode.
    public var tlsMode: TLSMode
    /// A PEM file of CAs to verify the server with (`sslrootcert`); nil uses the system's CA store.
    public var rootCertificatePath: String?
    /// `application_name` shown in `pg_stat_activity`.
    public var applicationName: String
    /// The pool's connection limit.
    public var maximumConnections: Int = 16
    /// How long one connection attempt may take.
    public var connectTimeout: Duration = .seconds(5)
    /// How long a request waits for a connection or a statement before it fails with `TodoError.unavailable`.
    public var requestTimeout: Duration = .seconds(10)

    /// Parses a `postgres://` or `postgresql://` URL.
    /// - Parameter url: the URL (from `--database-url`, `TODOD_DATABASE_URL` or `DATABASE_URL`).
    /// - Throws: `TodoError.validation(field: "database_url", …)` saying what is wrong (never echoing the password).
    public static func parse(url: String) throws -> PostgresStoreConfiguration {
        func bad(_ why: String) -> TodoError { TodoError.validation(field: "database_url", why) }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw bad("not a URL; expected postgres://user:password@host:port/database")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw bad("the scheme must be postgres:// or postgresql://, not \(scheme)://")
        }
        guard let host = components.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), !host.isEmpty else {
            throw bad("the URL names no host (unix-socket URLs are not supported; use 127.0.0.1)")
        }
        let user = components.user?.removingPercentEncoding ?? ""
        guard !user.isEmpty else { throw bad("the URL names no user (postgres://USER:password@host/database)") }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.contains("/") else { throw bad("the database name must not contain '/'") }
        var configuration = PostgresStoreConfiguration(
            host: host, port: components.port ?? 5432, username: user, password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? user : database, tlsMode: .prefer, rootCertificatePath: nil, applicationName: "todod")
        guard (1...65535).contains(configuration.port) else { throw bad("the port must be 1-65535") }
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw bad("sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
                }
                configuration.tlsMode = mode
            case "sslrootcert":
                guard !value.isEmpty else { throw bad("sslrootcert must name a PEM file") }
                configuration.rootCertificatePath = value
            case "application_name":
                configuration.applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), (1...600).contains(seconds) else { throw bad("connect_timeout must be 1-600 seconds") }
                configuration.connectTimeout = .seconds(seconds)
            case "pool_max":
                guard let n = Int(value), (1...200).contains(n) else { throw bad("pool_max must be 1-200") }
                configuration.maximumConnections = n
            default:
                throw bad("unsupported URL parameter '\(item.name)' (supported: sslmode, sslrootcert, application_name, connect_timeout, pool_max)")
            }
        }
        if let root = configuration.rootCertificatePath, !FileManager.default.isReadableFile(atPath: root) {
            throw bad("sslrootcert \(root) is not a readable file")
        }
        return configuration
    }

    /// The URL without its password, for logs and status.
    public var redactedURL: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(username)@\(hostPart):\(port)/\(database)"
        var parameters: [String] = []
        if tlsMode != .prefer { parameters.append("sslmode=\(tlsMode.rawValue)") }
        if let rootCertificatePath { parameters.append("sslrootcert=\(rootCertificatePath)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// The same server and credentials with another database (tests create throwaway databases with it).
    /// - Parameter name: the database name.
    public func with(database name: String) -> PostgresStoreConfiguration {
        var copy = self
        copy.database = name
        return copy
    }

    /// The TLS settings `sslmode` and `sslrootcert` ask for.
    /// - Throws: `PostgresStoreError` when the CA file cannot be loaded.
    func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable, .allow, .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let rootCertificatePath {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificatePath))
            } catch {
                throw PostgresStoreError(message: "cannot load sslrootcert \(rootCertificatePath): \(error)", isTransient: false)
            }
        }
        return tls
    }

    /// The PostgresNIO pool configuration.
    /// - Throws: `PostgresStoreError` when the CA file cannot be loaded.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls = try tlsConfiguration()
        let mode: PostgresClient.Configuration.TLS = switch tlsMode {
        case .disable: .disable
        case .allow, .prefer: .prefer(tls)
        case .require, .verifyCA, .verifyFull: .require(tls)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        if !Self.isIPAddress(host) { configuration.options.tlsServerName = host }
        return configuration
    }

    /// One connection's configuration, for the probe `PostgresStore.open` makes before it starts the pool (the pool
    /// retries failed connections quietly; the probe reports why the first one failed).
    func probeConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS
        do {
            mode = switch tlsMode {
            case .disable: .disable
            case .allow, .prefer: .prefer(try NIOSSLContext(configuration: try tlsConfiguration()))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: try tlsConfiguration()))
            }
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError(message: "cannot set up TLS: \(error)", isTransient: false)
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: mode)
        let (seconds, _) = connectTimeout.components
        configuration.options.connectTimeout = .seconds(seconds)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        if !Self.isIPAddress(host) { configuration.options.tlsServerName = host }
        return configuration
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }
}
