import Foundation
import Logging

// MARK: - Loading

extension DaemonConfiguration {
    /// The environment variable naming each file key.
    static let environmentNames: [String: String] = [
        "data_dir": "TODOD_DATA_DIR", "control_socket": "TODOD_CONTROL_SOCKET", "http": "TODOD_HTTP",
        "allowed_group": "TODOD_ALLOWED_GROUP", "log_level": "TODOD_LOG_LEVEL", "chat_rate_limit": "TODOD_CHAT_RATE_LIMIT",
        "idle_timeout": "TODOD_IDLE_TIMEOUT", "token_ttl": "TODOD_TOKEN_TTL",
        "ui": "TODOD_UI", "chatkit_domain_key": "TODOD_CHATKIT_DOMAIN_KEY",
    ]

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
        func value(_ key: String, _ flag: String?) -> (String, String)? {
            if let flag { return (flag, "--\(key.replacingOccurrences(of: "_", with: "-"))") }
            if let name = environmentNames[key], let env = environment[name], !env.isEmpty { return (env, name) }
            if let fromFile = file[key] { return (fromFile, "\(key) in \(configFile ?? "config file")") }
            return nil
        }
        func int(_ key: String, _ flag: Int?, range: ClosedRange<Int>) throws -> Int? {
            guard let (raw, source) = value(key, flag.map(String.init)) else { return nil }
            guard let n = Int(raw), range.contains(n) else {
                throw DaemonError.configuration("\(source): '\(raw)' is not a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        if let (dir, _) = value("data_dir", overrides.dataDirectory) { config.dataDirectory = dir }
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
        if let n = try int("idle_timeout", overrides.idleTimeoutSeconds, range: 1...86_400) { config.idleTimeoutSeconds = n }
        if let n = try int("token_ttl", overrides.tokenTTLSeconds, range: 60...(10 * 365 * 86_400)) { config.tokenTTLSeconds = n }
        if let (ui, source) = value("ui", overrides.ui) {
            guard ["builtin", "chatkit"].contains(ui.lowercased()) else {
                throw DaemonError.configuration("\(source): '\(ui)' is not one of builtin, chatkit")
            }
            config.ui = ui.lowercased()
        }
        if let (key, _) = value("chatkit_domain_key", overrides.chatkitDomainKey) { config.chatkitDomainKey = key }
        config.repair = overrides.repair
        return config
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
            guard environmentNames[key] != nil else {
                throw DaemonError.configuration("\(path):\(index + 1): unknown key '\(key)' (known: \(environmentNames.keys.sorted().joined(separator: ", ")))")
            }
            values[key] = value
        }
        return values
    }
}
