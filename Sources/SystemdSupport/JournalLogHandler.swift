#if canImport(Glibc)
import Glibc
#endif
public import Logging
import Synchronization

// MARK: - Output

/// Where formatted log lines go: stderr for real, an array in tests.
public protocol LogOutput: Sendable {
    /// Writes one line (a trailing newline is added by the output).
    func write(_ line: String)
}

/// Writes lines to file descriptor 2 with one `write(2)` each, so concurrent lines never interleave.
public struct StandardErrorOutput: LogOutput {
    public init() {}

    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if n < 0, errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

/// Records lines, for tests.
public final class RecordingLogOutput: LogOutput {
    private let recorded = Mutex<[String]>([])
    public init() {}
    public func write(_ line: String) { recorded.withLock { $0.append(line) } }
    /// Every line so far.
    public var lines: [String] { recorded.withLock { $0 } }
}

// MARK: - Shared level

/// A log level shared by every handler of the process, so a SIGHUP reload changes it everywhere.
public final class LogLevelControl: Sendable {
    private let current: Mutex<Logger.Level>

    /// - Parameter level: the initial level.
    public init(_ level: Logger.Level) { current = Mutex(level) }

    /// The current level.
    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}

// MARK: - Journal detection

/// Whether stderr is connected to the journal: `$JOURNAL_STREAM` (`DEV:INODE`) names fd 2 (systemd.exec(5)).
public enum JournalStream {
    /// - Parameter environment: the process environment.
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let dev = UInt64(parts[0]), let ino = UInt64(parts[1]) else { return false }
        var st = stat()
        guard fstat(2, &st) == 0 else { return false }
        return UInt64(st.st_dev) == dev && UInt64(st.st_ino) == ino
    }
}

// MARK: - Handler

/// A swift-log handler for a daemon: `<N>` syslog priority prefixes when stderr is the journal
/// (sd-daemon(3)), plain timestamped lines otherwise.
public struct JournalLogHandler: LogHandler {
    /// The logger's label, for example `todo.daemon`.
    public let label: String
    /// Whether lines start with `<N>`.
    public let usesPriorityPrefix: Bool
    private let output: any LogOutput
    private let levelControl: LogLevelControl
    private var localLevel: Logger.Level?
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// - Parameters:
    ///   - label: the logger label.
    ///   - usesPriorityPrefix: prefix lines with `<N>` (use `JournalStream.stderrIsJournal`).
    ///   - levelControl: the shared level.
    ///   - output: where lines go.
    public init(label: String, usesPriorityPrefix: Bool, levelControl: LogLevelControl, output: any LogOutput = StandardErrorOutput()) {
        self.label = label
        self.usesPriorityPrefix = usesPriorityPrefix
        self.levelControl = levelControl
        self.output = output
    }

    public var logLevel: Logger.Level {
        get { localLevel ?? levelControl.level }
        set { localLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["todo.error"] = .string("\(error)") }
        output.write(Self.format(level: event.level, label: label, message: event.message.description, metadata: merged,
                                 priorityPrefix: usesPriorityPrefix, timestamp: usesPriorityPrefix ? nil : Self.now()))
    }

    /// The syslog priority of a level (`<0>`…`<7>`).
    /// - Parameter level: the swift-log level.
    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// One formatted line.
    /// - Parameters:
    ///   - level: the level.
    ///   - label: the logger label.
    ///   - message: the message.
    ///   - metadata: key/values, printed sorted as `key=value`.
    ///   - priorityPrefix: whether to start with `<N>`.
    ///   - timestamp: a leading timestamp (plain output only).
    public static func format(
        level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, priorityPrefix: Bool, timestamp: String?
    ) -> String {
        var line = priorityPrefix ? "<\(priority(of: level))>" : ""
        if let timestamp { line += timestamp + " " }
        if !priorityPrefix { line += "\(level) " }
        line += "\(label): \(message)"
        for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
        return String(line.map { $0 == "\n" ? " " : $0 })
    }

    private static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var secs = ts.tv_sec
        var tm = tm()
        gmtime_r(&secs, &tm)
        func pad(_ v: Int32, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
