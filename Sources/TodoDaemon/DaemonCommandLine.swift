// MARK: - The common command line, read without ArgumentParser

/// `todod`'s command line when it is an ordinary start: every argument a known `--long value`,
/// `--long=value` or flag, each at most once.
///
/// Why this exists next to the ArgumentParser command in `Sources/todod`: ArgumentParser builds its
/// argument set by reflection (`Mirror`, generic metadata, protocol-conformance scans over the whole
/// binary's ~13,000 conformance records) and runs its validators on every start; measured with
/// `perf record` that was about a third of the CPU from exec to `READY=1` and it pulled thousands of the
/// binary's pages into the idle process. A daemon started by systemd or a script almost always gets a
/// handful of well-formed flags, so `todod` reads those here and hands everything else (`--help`,
/// `--version`, a typo, a missing or dash-leading value, a repeated flag, a bad number) to ArgumentParser,
/// which then prints exactly the messages and exit statuses it always did. Nothing is accepted here
/// that ArgumentParser would reject, and the result for what is accepted is the same `DaemonOverrides`.
public enum DaemonCommandLine {
    /// What an ordinary command line asks for.
    public struct Parsed: Sendable, Hashable {
        /// The flags, as `DaemonOverrides`.
        public var overrides = DaemonOverrides()
        /// `--check-config`: print the effective configuration and exit.
        public var checkConfig = false

        /// No flags: the defaults.
        public init() {}
    }

    /// Options that take a text value, by their long name (without `--`).
    static let textOptions: [String: any WritableKeyPath<DaemonOverrides, String?> & Sendable] = [
        "data-dir": \.dataDirectory, "database-url": \.databaseURL, "control-socket": \.controlSocket,
        "http": \.http, "config": \.configFile, "allowed-group": \.allowedGroup, "log-level": \.logLevel,
        "ui": \.ui, "chatkit-domain-key": \.chatkitDomainKey, "auth-secret-file": \.authSecretFile,
        "llm-base-url": \.llmBaseURL, "llm-model": \.llmModel, "llm-parallel-tool-calls": \.llmParallelToolCalls,
        "llm-titles": \.llmTitles,
    ]

    /// Options that take an integer value, by their long name (without `--`).
    static let integerOptions: [String: any WritableKeyPath<DaemonOverrides, Int?> & Sendable] = [
        "chat-rate-limit": \.chatRateLimit, "max-streams-per-user": \.maxStreamsPerUser,
        "idle-timeout": \.idleTimeoutSeconds, "token-ttl": \.tokenTTLSeconds, "llm-timeout": \.llmTimeoutSeconds,
        "llm-max-rounds": \.llmMaxRounds, "llm-context-window": \.llmContextWindow,
    ]

    /// Flags without a value, by their long name (without `--`).
    static let flags: Set<String> = ["repair", "check-config"]

    /// Every long name this reader knows (a test checks that `todod --help` lists exactly these).
    public static var longNames: Set<String> {
        Set(textOptions.keys).union(integerOptions.keys).union(flags)
    }

    /// Reads `arguments` (without the program name).
    /// - Returns: the parsed command line, or nil when it is anything but an ordinary start: the caller
    ///   then lets ArgumentParser handle it (help, version, errors).
    public static func parse(_ arguments: [String]) -> Parsed? {
        var parsed = Parsed()
        var seen = Set<String>()
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard seen.insert(name).inserted else { return nil }
            if flags.contains(name) {
                guard value == nil else { return nil }
                if name == "repair" { parsed.overrides.repair = true } else { parsed.checkConfig = true }
                continue
            }
            if value == nil {
                guard index < arguments.endIndex, !arguments[index].hasPrefix("-") else { return nil }
                value = arguments[index]
                index += 1
            }
            guard let value, !value.isEmpty else { return nil }
            if let keyPath = textOptions[name] {
                parsed.overrides[keyPath: keyPath] = value
            } else if let keyPath = integerOptions[name], let number = Int(value) {
                parsed.overrides[keyPath: keyPath] = number
            } else {
                return nil
            }
        }
        return parsed
    }
}
