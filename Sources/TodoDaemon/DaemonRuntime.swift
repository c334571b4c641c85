import Synchronization
public import TodoControl

// MARK: - Runtime state

/// What the running daemon shares between its parts: start time, listener descriptions and the
/// reloadable settings (SIGHUP replaces them).
public final class DaemonRuntime: Sendable {
    /// todod's version.
    public static let version = "0.1.0"

    /// The settings a reload may change.
    public struct Settings: Sendable, Hashable {
        /// Chat messages per user per minute.
        public var chatRateLimit: Int
        /// The default token lifetime in seconds.
        public var tokenTTLSeconds: Int
    }

    /// When the daemon started (monotonic).
    public let startedAt: ContinuousClock.Instant
    /// The data directory.
    public let dataDirectory: String
    /// The control listener (`/path` or `fd:N`).
    public let controlListener: String
    /// The HTTP listener, if any (`127.0.0.1:8765` or `fd:N`).
    public let httpListener: String?
    /// The base URL of the web UI, if HTTP is on.
    public let httpBaseURL: String?
    /// The login page path; the one-time code goes in the fragment.
    public var loginURLPrefix: String? { httpBaseURL.map { $0 + DaemonHTTP.loginPath + "#" } }
    /// Who may use the control socket (reloadable).
    public let access: ControlAccess
    private let settingsState: Mutex<Settings>

    init(dataDirectory: String, controlListener: String, httpListener: String?, httpBaseURL: String?, access: ControlAccess, settings: Settings) {
        self.startedAt = ContinuousClock.now
        self.dataDirectory = dataDirectory
        self.controlListener = controlListener
        self.httpListener = httpListener
        self.httpBaseURL = httpBaseURL
        self.access = access
        self.settingsState = Mutex(settings)
    }

    /// The current reloadable settings.
    public var settings: Settings {
        get { settingsState.withLock { $0 } }
        set { settingsState.withLock { $0 = newValue } }
    }

    /// Seconds since start.
    public var uptimeSeconds: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - startedAt).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
