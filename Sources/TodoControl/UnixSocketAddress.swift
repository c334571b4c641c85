#if canImport(Glibc)
public import Glibc
#endif

// MARK: - Unix socket addresses

/// Calls `operation` (for example `bind` or `connect`) with a `sockaddr_un` for `path`.
///
/// The one place that fills in `sun_path`: paths longer than the field are truncated (callers keep
/// socket paths under 108 bytes).
/// - Parameters:
///   - path: the socket path.
///   - operation: the system call to make with the address and its length.
/// - Returns: what `operation` returned.
public func withUnixSocketAddress(_ path: String, _ operation: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        let bytes = Array(path.utf8.prefix(raw.count - 1))
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { operation($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}
