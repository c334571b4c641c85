#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TodoTesting

// MARK: - Helpers for the start-up tests

/// How a `todod` run ended and how long after `since` it did.
struct TimedExit {
    var result: ProcessResult
    var elapsed: Duration
    /// True when the limit passed and the test had to SIGKILL it.
    var killed: Bool
}

/// Waits for `child` to exit, SIGKILLing it after `limit` so a hang fails the test instead of the run.
/// - Parameters:
///   - child: the process.
///   - limit: how long it may take.
///   - since: when the clock started (the spawn, or the signal).
func awaitExit(of child: ChildProcess, within limit: Duration, since: ContinuousClock.Instant = .now) async -> TimedExit {
    let killer = Task { () -> Bool in
        try? await Task.sleep(until: since + limit, clock: .continuous)
        guard !Task.isCancelled else { return false }
        child.send(SIGKILL)
        return true
    }
    let result = await child.wait()
    killer.cancel()
    let killed = await killer.value
    return TimedExit(result: result, elapsed: since.duration(to: .now), killed: killed)
}

/// Spawns `todod` with exactly `arguments` (no preset flags) and the base test environment plus `extra`.
func spawnTodod(_ arguments: [String], environment extra: [String: String] = [:], prefix: [String] = []) throws -> ChildProcess {
    var env = DaemonProcess.baseEnvironment()
    env.merge(extra) { _, new in new }
    let todod = try BuildProducts.path(of: "todod")
    if let tool = prefix.first {
        return try ChildProcess(tool, Array(prefix.dropFirst()) + [todod] + arguments, environment: env)
    }
    return try ChildProcess(todod, arguments, environment: env)
}

/// A TCP socket listening on 127.0.0.1 on a port the kernel chose, held open to make that port "in use".
final class OccupiedPort: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestingError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                Glibc.bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { Glibc.close(fd); throw TestingError("bind/listen: errno \(errno)") }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }
}

/// Whether `setpriv` can start a process as root with a smaller capability bounding set.
let canDropCapabilities: Bool = {
    guard getuid() == 0, access("/usr/bin/setpriv", X_OK) == 0 else { return false }
    return system("/usr/bin/setpriv --bounding-set=-dac_override,-dac_read_search,-net_bind_service /bin/true >/dev/null 2>&1") == 0
}()

/// How to start todod without `capabilities` (comma-separated, e.g. `dac_override`): as is for a normal user;
/// as root through `setpriv`; nil when that is impossible here.
func without(_ capabilities: String) -> [String]? {
    if getuid() != 0 { return [] }
    let dropped = capabilities.split(separator: ",").map { "-\($0)" }.joined(separator: ",")
    return canDropCapabilities ? ["/usr/bin/setpriv", "--bounding-set=\(dropped)"] : nil
}

/// So that a mode-0500 directory is not writable for todod.
let withoutDACOverride = without("dac_override,dac_read_search")

/// Creates `path` with `mode` (FileManager rather than mkdir(2), whose sys/stat.h declarations upset
/// MemberImportVisibility in other files of this target).
func makeDirectory(_ path: String, mode: Int) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: mode])
}
