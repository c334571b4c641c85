import Foundation
import Testing
import TodoDaemon
import TodoTesting

// MARK: - One configuration model: precedence, validation, --check-config

@Suite("todod configuration model")
struct ConfigurationModelTests {
    static let secret = "s3cret-value-that-is-long-enough-0123456789"
    static let apiKey = "sk-test-key-never-printed-7f3a"

    func resolve(flags: DaemonOverrides = DaemonOverrides(), env: [String: String] = [:], file: [String: String] = [:]) throws -> DaemonConfiguration {
        try DaemonConfiguration.resolve(overrides: flags, environment: env, file: file, configFile: "/etc/todod.conf")
    }

    @Test func defaultsForTheNewSettings() throws {
        let config = try resolve()
        #expect(config.maxStreamsPerUser == 16)
        #expect(config.llmBaseURL == "https://api.openai.com/v1")
        #expect(config.llmModel == "gpt-4.1-mini")
        #expect(config.llmTimeoutSeconds == 30)
        #expect(config.llmMaxRounds == 8)
        #expect(config.llmAPIKey == nil)
        #expect(config.authSecret == nil && config.authSecretFile == nil)
        #expect(config.sources.isEmpty)
    }

    @Test func flagsBeatEnvironmentBeatFileForEverySettingWithAFlag() throws {
        var flags = DaemonOverrides()
        flags.llmModel = "from-flag"
        flags.maxStreamsPerUser = 3
        flags.llmTimeoutSeconds = 11
        let env = ["TODOD_LLM_MODEL": "from-env", "TODOD_MAX_STREAMS_PER_USER": "4", "TODOD_LLM_TIMEOUT": "12", "TODOD_LLM_MAX_ROUNDS": "5",
                   "TODOD_LLM_BASE_URL": "http://127.0.0.1:9/v1"]
        let file = ["llm_model": "from-file", "max_streams_per_user": "5", "llm_timeout": "13", "llm_max_rounds": "6",
                    "llm_base_url": "https://file.example/v1", "chat_rate_limit": "7"]
        let config = try resolve(flags: flags, env: env, file: file)
        #expect(config.llmModel == "from-flag")
        #expect(config.maxStreamsPerUser == 3)
        #expect(config.llmTimeoutSeconds == 11)
        #expect(config.llmMaxRounds == 5)  // env over file
        #expect(config.llmBaseURL == "http://127.0.0.1:9/v1")
        #expect(config.chatRateLimit == 7)  // file over default
        #expect(config.sources["llm_model"] == "--llm-model")
        #expect(config.sources["llm_max_rounds"] == "TODOD_LLM_MAX_ROUNDS")
        #expect(config.sources["chat_rate_limit"] == "chat_rate_limit in /etc/todod.conf")
        // What the HTTP face's assistant reads back is the resolved value, not the raw environment.
        let handed = config.environmentWithResolvedLLM(env)
        #expect(handed["TODOD_LLM_MODEL"] == "from-flag" && handed["TODOD_LLM_TIMEOUT"] == "11" && handed["TODOD_LLM_MAX_ROUNDS"] == "5")
    }

    @Test func apiKeyFromEitherVariableThenTheFile() throws {
        #expect(try resolve(env: ["OPENAI_API_KEY": "a"]).llmAPIKey == "a")
        #expect(try resolve(env: ["OPENAI_API_KEY": "a", "TODOD_LLM_API_KEY": "b"]).llmAPIKey == "b")
        #expect(try resolve(env: ["OPENAI_API_KEY": "a"], file: ["llm_api_key": "c"]).llmAPIKey == "a")
        #expect(try resolve(file: ["llm_api_key": "c"]).llmAPIKey == "c")
    }

    @Test func authSecretFollowsThePrecedenceToo() throws {
        var flags = DaemonOverrides()
        flags.authSecretFile = "/run/credentials/todod/secret"
        let fromFlag = try resolve(flags: flags, env: ["BETTER_AUTH_SECRET": Self.secret])
        #expect(fromFlag.authSecretFile == "/run/credentials/todod/secret" && fromFlag.authSecret == nil)
        let fromEnv = try resolve(env: ["BETTER_AUTH_SECRET": Self.secret], file: ["auth_secret_file": "/etc/todod.secret"])
        #expect(fromEnv.authSecret == Self.secret && fromEnv.authSecretFile == nil)
        #expect(throws: DaemonError.self) {
            try resolve(env: ["BETTER_AUTH_SECRET": Self.secret, "TODOD_AUTH_SECRET_FILE": "/x"])
        }
        #expect(throws: DaemonError.self) { try resolve(env: ["BETTER_AUTH_SECRET": "short"]) }
    }

    @Test func badValuesNameTheirSource() throws {
        func message(_ body: () throws -> DaemonConfiguration) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { try resolve(env: ["TODOD_MAX_STREAMS_PER_USER": "0"]) }.contains("TODOD_MAX_STREAMS_PER_USER: '0'"))
        #expect(message { try resolve(file: ["llm_timeout": "soon"]) }.contains("llm_timeout in /etc/todod.conf: 'soon'"))
        #expect(message { try resolve(env: ["TODOD_LLM_BASE_URL": "ftp://x"]) }.contains("TODOD_LLM_BASE_URL"))
        var flags = DaemonOverrides()
        flags.llmMaxRounds = 0
        #expect(message { try resolve(flags: flags) }.contains("--llm-max-rounds"))
    }

    @Test func theConfigFileKnowsEveryKey() throws {
        let text = DaemonConfiguration.settingKeys.map { "\($0.name) = x" }.joined(separator: "\n")
        let parsed = try DaemonConfiguration.parseFile(text, path: "/c")
        #expect(parsed.count == DaemonConfiguration.settingKeys.count)
        #expect(parsed["max_streams_per_user"] == "x" && parsed["llm_api_key"] == "x")
    }

    @Test func redactedDescriptionHidesSecretsAndShowsSources() throws {
        let config = try resolve(env: ["BETTER_AUTH_SECRET": Self.secret, "OPENAI_API_KEY": Self.apiKey, "TODOD_LLM_MODEL": "m1"])
        let text = config.redactedDescription
        #expect(!text.contains(Self.secret))
        #expect(!text.contains(Self.apiKey))
        #expect(text.contains("auth_secret = <redacted>"))
        #expect(text.contains("llm_api_key = <redacted>"))
        #expect(text.contains("OPENAI_API_KEY"))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("llm_model = m1") && $0.hasSuffix("# TODOD_LLM_MODEL") })
        #expect(text.contains("max_streams_per_user = 16"))
    }

    // MARK: The real binary

    @Test func checkConfigPrintsTheEffectiveConfigurationRedacted() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-cc-")
        defer { dir.remove() }
        let config = dir.appending("todod.conf")
        try Data("llm_api_key = \(Self.apiKey)\nmax_streams_per_user = 4\n".utf8).write(to: URL(fileURLWithPath: config))
        var env = DaemonProcess.baseEnvironment()
        env["BETTER_AUTH_SECRET"] = Self.secret
        env["TODOD_MAX_STREAMS_PER_USER"] = "5"
        let todod = try BuildProducts.path(of: "todod")
        let result = try await runProcess(todod, ["--check-config", "--config", config, "--llm-model", "flagged", "--data-dir", dir.appending("d")], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(Self.secret) && !result.stdout.contains(Self.apiKey))
        #expect(result.stdout.contains("llm_api_key = <redacted>"))
        #expect(result.stdout.contains("llm_model = flagged"))
        #expect(result.stdout.contains("max_streams_per_user = 5"))
        #expect(access(dir.appending("d"), F_OK) != 0, "--check-config touches no data directory")

        let bad = try await runProcess(todod, ["--check-config", "--llm-timeout", "0"], environment: env)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--llm-timeout"))
        #expect(bad.stdout.isEmpty)
    }

    @Test func helpListsEverySetting() async throws {
        let result = try await runProcess(try BuildProducts.path(of: "todod"), ["--help"], environment: DaemonProcess.baseEnvironment())
        #expect(result.status == 0)
        for key in DaemonConfiguration.settingKeys {
            if let flag = key.flag { #expect(result.stdout.contains(flag), "\(flag) in --help") }
            for name in key.environment { #expect(result.stdout.contains(name), "\(name) in --help") }
            #expect(result.stdout.contains(key.name), "\(key.name) in --help")
        }
        #expect(result.stdout.contains("--check-config"))
        #expect(result.stdout.contains("EXIT STATUS"))
    }
}
