#if canImport(Glibc)
import Glibc
#endif

// MARK: - Default paths

/// Where the control socket lives by default; shared by `todod` (which binds it) and `todoctl` (which
/// looks for it).
public enum ControlSocketDefaults {
    /// The file name inside the runtime directory.
    public static let fileName = "todod.sock"
    /// The system service's socket (`RuntimeDirectory=todod`).
    public static let systemSocket = "/run/todod/todod.sock"

    /// The path a daemon binds when not told otherwise: `$RUNTIME_DIRECTORY/todod.sock`, else
    /// `$XDG_RUNTIME_DIR/todod/todod.sock`, else `/tmp/todod-<uid>/todod.sock`.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - uid: the process's uid.
    public static func daemonPath(environment: [String: String], uid: UInt32? = nil) -> String {
        if let runtime = firstPath(environment["RUNTIME_DIRECTORY"]) { return runtime + "/" + fileName }
        if let xdg = firstPath(environment["XDG_RUNTIME_DIR"]) { return xdg + "/todod/" + fileName }
        return "/tmp/todod-\(uid ?? getuid())/" + fileName
    }

    /// The paths a client tries, in order: `$TODOD_CONTROL_SOCKET` alone when set; otherwise the user's own
    /// daemon path, then the system service's socket.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - uid: the process's uid.
    public static func clientCandidates(environment: [String: String], uid: UInt32? = nil) -> [String] {
        if let explicit = environment["TODOD_CONTROL_SOCKET"], !explicit.isEmpty { return [explicit] }
        var own = environment
        own["RUNTIME_DIRECTORY"] = nil
        let user = daemonPath(environment: own, uid: uid)
        return user == systemSocket ? [user] : [user, systemSocket]
    }

    /// The first candidate that exists (or that exists but this user may not reach, so the error says
    /// "permission denied" rather than "not running"), else the first candidate.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - uid: the process's uid.
    public static func clientPath(environment: [String: String], uid: UInt32? = nil) -> String {
        let candidates = clientCandidates(environment: environment, uid: uid)
        var st = stat()
        return candidates.first { stat($0, &st) == 0 || errno == EACCES } ?? candidates[0]
    }

    /// The first entry of a colon-separated list (systemd may pass several directories), if non-empty.
    static func firstPath(_ value: String?) -> String? {
        guard let first = value?.split(separator: ":").first, !first.isEmpty else { return nil }
        return String(first)
    }
}
