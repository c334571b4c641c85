import Synchronization

// MARK: - HostPolicy

/// DNS-rebinding protection: which `Host` header values we answer.
///
/// Loopback names and addresses (`localhost`, `127.0.0.1`, `[::1]`) with our port are always allowed
/// (without a port only when the port is 80); `extra` adds exact values. The port is learnt when the
/// listener is up (port 0 binds a free one).
final class HostPolicy: Sendable {
    private let port = Atomic<Int>(-1)
    private let extra: Set<String>

    /// - Parameters:
    ///   - port: our port, or -1 until known.
    ///   - extra: additional exact Host values.
    init(port: Int, extra: [String]) {
        self.port.store(port, ordering: .relaxed)
        self.extra = Set(extra.map { $0.lowercased() })
    }

    /// Records the port actually bound.
    func setPort(_ value: Int) { port.store(value, ordering: .relaxed) }

    /// The current port (-1 before listening).
    var currentPort: Int { port.load(ordering: .relaxed) }

    /// Whether `host` (the Host header / authority) is allowed.
    func allows(_ host: String?) -> Bool {
        guard let raw = host?.lowercased(), !raw.isEmpty else { return false }
        if extra.contains(raw) { return true }
        let p = currentPort
        var name = raw
        var hostPort: Int? = nil
        if let colon = raw.lastIndex(of: ":"), !raw.hasSuffix("]") {
            guard let n = Int(raw[raw.index(after: colon)...]) else { return false }
            hostPort = n
            name = String(raw[..<colon])
        }
        guard ["localhost", "127.0.0.1", "[::1]"].contains(name) else { return false }
        return hostPort.map { $0 == p } ?? (p == 80)
    }
}
