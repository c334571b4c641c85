import ArgumentParser
import TodoControl
import TodoCore

// MARK: - token

/// `todoctl token [--ttl 30d] [--user U]`: a bearer token for the HTTP API.
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue a bearer token for the HTTP API (printed alone, for $(todoctl token)).",
        discussion: "--ttl takes seconds or a number with s, m, h or d (30d). Only root or the daemon's user may use --user.")

    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "Lifetime, for example 3600, 90m, 12h, 30d.") var ttl: String?
    @Option(name: .long, help: "Issue for another user.") var user: String?

    func validate() throws {
        if let ttl, Self.seconds(ttl) == nil { throw ValidationError("--ttl '\(ttl)' is not a duration like 3600, 90m, 12h or 30d") }
        if let user, !UserID.isValid(user) { throw ValidationError("--user '\(user)' is not a valid user id") }
    }

    func run() async throws {
        let params = IssueTokenParams(ttlSeconds: ttl.flatMap(Self.seconds), user: try user.map { try UserID($0) })
        let result = try await options.client.call(ControlMethods.IssueToken.self, params)
        try options.emit(result) { $0.token }
    }

    /// Parses `3600`, `90m`, `12h`, `30d`.
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let n = Int(text), n > 0 { return n }
        guard let unit = text.last.flatMap({ units[$0] }), let n = Int(text.dropLast()), n > 0 else { return nil }
        return n * unit
    }
}
