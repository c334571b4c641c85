import Foundation
import Logging
import TodoAgent

// MARK: - Loading

extension DaemonConfiguration {
    /// Loads the configuration: flags > environment > config file (`--config`, else `$TODOD_CONFIG`) > defaults.
    /// - Parameters:
    ///   - overrides: the flags.
    ///   - environment: the process environment.
    /// - Throws: `DaemonError.configuration` naming the bad setting.
    public static func load(overrides: DaemonOverrides, environment: [String: String]) throws -> DaemonConfiguration {
        let path = overrides.configFile ?? environment["TODOD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        var fileValues: [String: String] = [:]
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DaemonError.configuration("cannot read config file \(path)")
            }
            fileValues = try parseFile(String(decoding: data, as: UTF8.self), path: path)
        }
        return try resolve(overrides: overrides, environment: environment, file: fileValues, configFile: path)
    }

    /// Layers the three sources over the defaults (pure; `load` reads the file).
    /// - Parameters:
    ///   - overrides: the flags.
    ///   - environment: the process environment.
    ///   - file: `key = value` pairs from the config file.
    ///   - configFile: the file's path, for messages.
    public static func resolve(
        overrides: DaemonOverrides, environment: [String: String], file: [String: String], configFile: String?
    ) throws -> DaemonConfiguration {
        var config = DaemonConfiguration(defaultsFor: environment)
        config.configFile = configFile
        var ranks: [String: Int] = [:]
        var sources: [String: String] = [:]
        func value(_ key: String, _ flag: String?) -> (String, String)? {
            guard let spec = settingKey(key) else { return nil }
            var found: (value: String, source: String, rank: Int)?
            if let flag {
                found = (flag, spec.flag ?? "--\(key.replacingOccurrences(of: "_", with: "-"))", 3)
            } else if let name = spec.environment.first(where: { environment[$0].map { !$0.isEmpty } ?? false }) {
                found = (environment[name]!, name, 2)
            } else if let fromFile = file[key] {
                found = (fromFile, "\(key) in \(configFile ?? "config file")", 1)
            }
            guard let found else { return nil }
            sources[key] = found.source
            ranks[key] = found.rank
            return (found.value, found.source)
        }
        func int(_ key: String, _ flag: Int?, range: ClosedRange<Int>) throws -> Int? {
            guard let (raw, source) = value(key, flag.map(String.init)) else { return nil }
            guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                throw DaemonError.configuration("\(source): '\(raw)' is not a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        if let (dir, source) = value("data_dir", overrides.dataDirectory) {
            guard !dir.isEmpty else { throw DaemonError.configuration("\(source): the data directory must not be empty") }
            config.dataDirectory = dir
        }
        if let (url, source) = value("database_url", overrides.databaseURL) {
            // Empty (`--database-url ""`) means the file store; anything else must parse now, before any wait.
            config.databaseURL = url.isEmpty ? nil : url
            if !url.isEmpty { _ = try databaseConfiguration(url: url, source: source) }
        }
        if let (socket, source) = value("control_socket", overrides.controlSocket) {
            guard socket.hasPrefix("/") else { throw DaemonError.configuration("\(source): the control socket must be an absolute path") }
            config.controlSocket = socket
        }
        if let (http, source) = value("http", overrides.http) {
            if ["off", "none", "no", ""].contains(http.lowercased()) {
                config.http = nil
            } else {
                config.http = http
                guard config.httpHostPort != nil else { throw DaemonError.configuration("\(source): '\(http)' is not HOST:PORT") }
            }
        }
        if let (group, _) = value("allowed_group", overrides.allowedGroup) { config.allowedGroup = group.isEmpty ? nil : group }
        if let (level, source) = value("log_level", overrides.logLevel) {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw DaemonError.configuration("\(source): '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = parsed
        }
        if let n = try int("chat_rate_limit", overrides.chatRateLimit, range: 0...100_000) { config.chatRateLimit = n }
        if let n = try int("max_streams_per_user", overrides.maxStreamsPerUser, range: 1...10_000) { config.maxStreamsPerUser = n }
        if let n = try int("idle_timeout", overrides.idleTimeoutSeconds, range: 1...86_400) { config.idleTimeoutSeconds = n }
        if let n = try int("token_ttl", overrides.tokenTTLSeconds, range: 60...(10 * 365 * 86_400)) { config.tokenTTLSeconds = n }
        if let (ui, source) = value("ui", overrides.ui) {
            guard ["builtin", "chatkit"].contains(ui.lowercased()) else {
                throw DaemonError.configuration("\(source): '\(ui)' is not one of builtin, chatkit")
            }
            config.ui = ui.lowercased()
        }
        if let (key, _) = value("chatkit_domain_key", overrides.chatkitDomainKey) { config.chatkitDomainKey = key }
        try resolveSecrets(into: &config, value: value, ranks: { ranks[$0] ?? 0 }, overrides: overrides)
        try resolveLLM(into: &config, value: value, int: int, overrides: overrides)
        config.repair = overrides.repair
        config.sources = sources
        return config
    }

    private static func resolveSecrets(
        into config: inout DaemonConfiguration, value: (String, String?) -> (String, String)?, ranks: (String) -> Int,
        overrides: DaemonOverrides
    ) throws {
        let secret = value("auth_secret", nil)
        if let (text, source) = secret, text.utf8.count < 32 {
            throw DaemonError.configuration("\(source): the auth secret must be at least 32 bytes (it is \(text.utf8.count))")
        }
        let secretFile = value("auth_secret_file", overrides.authSecretFile)
        if let (path, source) = secretFile, path.isEmpty {
            throw DaemonError.configuration("\(source): the auth secret file must not be empty")
        }
        switch (secret, secretFile) {
        case (let secret?, let file?):
            // Both given: the one from the higher layer wins; on the same layer it is ambiguous.
            let (secretRank, fileRank) = (ranks("auth_secret"), ranks("auth_secret_file"))
            guard secretRank != fileRank else {
                throw DaemonError.configuration("\(secret.1) and \(file.1) both set the auth secret; set only one")
            }
            if secretRank > fileRank { config.authSecret = secret.0 } else { config.authSecretFile = file.0 }
        case (let secret?, nil): config.authSecret = secret.0
        case (nil, let file?): config.authSecretFile = file.0
        case (nil, nil): break
        }
    }

    private static func resolveLLM(
        into config: inout DaemonConfiguration, value: (String, String?) -> (String, String)?,
        int: (String, Int?, ClosedRange<Int>) throws -> Int?, overrides: DaemonOverrides
    ) throws {
        if let (url, source) = value("llm_base_url", overrides.llmBaseURL) {
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > 8 else {
                throw DaemonError.configuration("\(source): '\(url)' is not an http:// or https:// URL")
            }
            config.llmBaseURL = url
        }
        if let (key, _) = value("llm_api_key", nil) { config.llmAPIKey = key.trimmingCharacters(in: .whitespaces) }
        if let (model, source) = value("llm_model", overrides.llmModel) {
            guard !model.trimmingCharacters(in: .whitespaces).isEmpty else { throw DaemonError.configuration("\(source): the model name must not be empty") }
            config.llmModel = model
        }
        if let n = try int("llm_timeout", overrides.llmTimeoutSeconds, 1...3600) { config.llmTimeoutSeconds = n }
        if let n = try int("llm_max_rounds", overrides.llmMaxRounds, 1...100) { config.llmMaxRounds = n }
        if let n = try int("llm_context_window", overrides.llmContextWindow, LLMConfiguration.minimumContextWindow...100_000_000) {
            config.llmContextWindow = n
        }
        if let (text, source) = value("llm_parallel_tool_calls", overrides.llmParallelToolCalls) {
            let auto = ["auto", ""].contains(text.lowercased())
            guard auto || LLMConfiguration.parseSwitch(text) != nil else {
                throw DaemonError.configuration("\(source): '\(text)' is not one of auto, true, false")
            }
            config.llmParallelToolCalls = auto ? nil : LLMConfiguration.parseSwitch(text)
        }
        if let (text, source) = value("llm_titles", overrides.llmTitles) {
            guard let on = LLMConfiguration.parseSwitch(text) else { throw DaemonError.configuration("\(source): '\(text)' is not one of on, off") }
            config.llmTitles = on
        }
    }

    /// Parses a config file: `key = value` lines, `#` comments, blank lines; values may be quoted.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: its path, for messages.
    /// - Throws: `DaemonError.configuration` naming the line.
    public static func parseFile(_ text: String, path: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw DaemonError.configuration("\(path):\(index + 1): expected key = value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard settingKey(key) != nil else {
                throw DaemonError.configuration("\(path):\(index + 1): unknown key '\(key)' (known: \(settingKeys.map(\.name).joined(separator: ", ")))")
            }
            values[key] = value
        }
        return values
    }
}

// MARK: - Secrets

extension DaemonConfiguration {
    /// The HTTP token signing key given by the configuration: `auth_secret`, else the contents of
    /// `auth_secret_file` (trailing whitespace dropped); nil when neither is set (the data directory's
    /// `auth-secret` file is used then).
    /// - Throws: `DaemonError.startup` naming the file when it cannot be read or is too short.
    public func readAuthSecret() throws -> String? {
        if let authSecret { return authSecret }
        guard let path = authSecretFile else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            throw DaemonError.startup("cannot read the auth secret file \(path): \(String(cString: strerror(err))) (errno \(err))", errno: err)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 65_536 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else {
                let err = errno
                throw DaemonError.startup("cannot read the auth secret file \(path): \(String(cString: strerror(err))) (errno \(err))", errno: err)
            }
            bytes += buffer[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 32 else {
            throw DaemonError.startup("the auth secret file \(path) holds \(text.utf8.count) bytes; it needs at least 32")
        }
        return text
    }

    /// `environment` with the `TODOD_LLM_*` variables replaced by the resolved LLM settings, for code that
    /// reads `LLMConfiguration.fromEnvironment` (the flags and the config file are folded in).
    /// - Parameter environment: the process environment.
    public func environmentWithResolvedLLM(_ environment: [String: String]) -> [String: String] {
        var env = environment
        env["OPENAI_API_KEY"] = nil
        env["TODOD_LLM_BASE_URL"] = llmBaseURL
        env["TODOD_LLM_API_KEY"] = llmAPIKey
        env["TODOD_LLM_MODEL"] = llmModel
        env["TODOD_LLM_TIMEOUT"] = String(llmTimeoutSeconds)
        env["TODOD_LLM_MAX_ROUNDS"] = String(llmMaxRounds)
        env["TODOD_LLM_CONTEXT_WINDOW"] = String(llmContextWindow)
        env["TODOD_LLM_PARALLEL_TOOL_CALLS"] = llmParallelToolCalls.map { $0 ? "true" : "false" }
        env["TODOD_LLM_TITLES"] = llmTitles ? "on" : "off"
        return env
    }
}
