import Foundation
import Testing
import TodoDaemon
import TodoPostgres
import TodoTesting

// MARK: - The database URL setting

@Suite("todod configuration: database_url")
struct DatabaseConfigurationTests {
    static let password = "pw-never-shown-4d2f"
    static func url(_ host: String) -> String { "postgres://todod:\(password)@\(host):5432/todod?sslmode=require" }

    func resolve(flags: DaemonOverrides = DaemonOverrides(), env: [String: String] = [:], file: [String: String] = [:]) throws -> DaemonConfiguration {
        try DaemonConfiguration.resolve(overrides: flags, environment: env, file: file, configFile: "/etc/todod.conf")
    }

    @Test("Without a URL todod uses the file store")
    func defaultIsTheFileStore() throws {
        let config = try resolve()
        #expect(config.databaseURL == nil)
        #expect(try config.databaseConfiguration() == nil)
        #expect(config.redactedDatabaseURL == nil)
    }

    @Test("--database-url beats TODOD_DATABASE_URL beats DATABASE_URL beats the config file")
    func precedence() throws {
        var flags = DaemonOverrides()
        flags.databaseURL = Self.url("flag.example")
        let env = ["TODOD_DATABASE_URL": Self.url("todod-env.example"), "DATABASE_URL": Self.url("plain-env.example")]
        let file = ["database_url": Self.url("file.example")]
        let all = try resolve(flags: flags, env: env, file: file)
        #expect(try all.databaseConfiguration()?.host == "flag.example")
        #expect(all.sources["database_url"] == "--database-url")
        let noFlag = try resolve(env: env, file: file)
        #expect(try noFlag.databaseConfiguration()?.host == "todod-env.example")
        #expect(noFlag.sources["database_url"] == "TODOD_DATABASE_URL")
        let plain = try resolve(env: ["DATABASE_URL": Self.url("plain-env.example")], file: file)
        #expect(try plain.databaseConfiguration()?.host == "plain-env.example")
        #expect(plain.sources["database_url"] == "DATABASE_URL")
        let fromFile = try resolve(file: file)
        #expect(try fromFile.databaseConfiguration()?.host == "file.example")
        #expect(fromFile.sources["database_url"] == "database_url in /etc/todod.conf")
        var empty = DaemonOverrides()
        empty.databaseURL = ""
        #expect(try resolve(flags: empty, env: env).databaseURL == nil, "an empty flag selects the file store")
    }

    @Test("A bad URL is a configuration error naming its key, without the password", arguments: [
        ("DATABASE_URL", "mysql://todod:\(password)@db.example/todod"),
        ("TODOD_DATABASE_URL", "postgres://todod:\(password)@/todod"),
        ("TODOD_DATABASE_URL", "postgres://todod:\(password)@db.example/todod?sslmode=sometimes"),
        ("DATABASE_URL", "postgres://:\(password)@db.example/todod"),
    ])
    func badURL(key: String, url: String) throws {
        do {
            _ = try resolve(env: [key: url])
            Issue.record("\(key) was accepted")
        } catch let error as DaemonError {
            #expect(error.message.hasPrefix("\(key): not a usable PostgreSQL URL: "), "\(error.message)")
            #expect(!error.message.contains(Self.password))
        }
        var flags = DaemonOverrides()
        flags.databaseURL = url
        #expect(throws: DaemonError.self) { try resolve(flags: flags) }
    }

    @Test("--check-config shows the URL without its password")
    func checkConfigRedacts() throws {
        let config = try resolve(env: ["DATABASE_URL": Self.url("db.example")])
        let text = config.redactedDescription
        #expect(text.contains("database_url = postgres://todod@db.example:5432/todod?sslmode=require"))
        #expect(text.contains("# DATABASE_URL"))
        #expect(!text.contains(Self.password))
        #expect(config.redactedDatabaseURL == "postgres://todod@db.example:5432/todod?sslmode=require")
    }

    @Test("todod --check-config with a bad DATABASE_URL exits 1 naming it, without the password")
    func checkConfigProcess() async throws {
        var env = DaemonProcess.baseEnvironment()
        env["DATABASE_URL"] = "postgresql://todod:\(Self.password)@db.example:99999/todod"
        let result = try await runProcess(try BuildProducts.path(of: "todod"), ["--check-config"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains("DATABASE_URL: not a usable PostgreSQL URL"), "\(result.stderr)")
        #expect(!result.stderr.contains(Self.password) && !result.stdout.contains(Self.password))
    }
}
