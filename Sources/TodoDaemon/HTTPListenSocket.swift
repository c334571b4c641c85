#if canImport(Glibc)
import Glibc
#endif

// MARK: - Binding the HTTP address before anything runs

/// A TCP socket bound and listening on `--http HOST:PORT`, made before the service group exists so that an
/// address in use (or not permitted) ends start-up at once with the address and the errno, instead of
/// failing inside a running group. The HTTP server then serves the descriptor as it serves a socket that
/// systemd passes.
struct HTTPListenSocket: Sendable {
    /// The listening descriptor (close-on-exec).
    let fd: Int32
    /// The port it is bound to (the one the kernel chose for port 0).
    let port: Int

    /// Resolves `host` (numeric or a name such as `localhost`) and binds the first address that works.
    /// - Parameters:
    ///   - host: the host part of `--http`.
    ///   - port: the port (0 picks a free one).
    ///   - description: `HOST:PORT` as the operator wrote it, for the message.
    /// - Throws: `DaemonError.startup` naming the address and the system error, with its errno.
    static func bind(host: String, port: Int, description: String) throws -> HTTPListenSocket {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw DaemonError.startup("cannot listen on HTTP address \(description): cannot resolve '\(host)': \(reason)")
        }
        defer { freeaddrinfo(first) }
        var lastErrno: Int32 = EADDRNOTAVAIL
        var lastCall = "bind"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastErrno = errno; lastCall = "socket"; continue }
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                lastErrno = errno; lastCall = "bind"; close(fd); continue
            }
            if listen(fd, 256) != 0 {
                lastErrno = errno; lastCall = "listen"; close(fd); continue
            }
            return HTTPListenSocket(fd: fd, port: boundPort(fd) ?? port)
        }
        throw DaemonError.startup(
            "cannot listen on HTTP address \(description): \(lastCall): \(Self.describe(errno: lastErrno))", errno: lastErrno)
    }

    /// `Address already in use (EADDRINUSE)`, with a hint for the common cases.
    static func describe(errno value: Int32) -> String {
        let text = String(cString: strerror(value))
        switch value {
        case EADDRINUSE: return "\(text) (EADDRINUSE): another process listens there; stop it or choose another --http"
        case EACCES: return "\(text) (EACCES): ports below 1024 need privileges; choose another --http"
        case EADDRNOTAVAIL: return "\(text) (EADDRNOTAVAIL): no local interface has that address"
        default: return "\(text) (errno \(value))"
        }
    }

    /// The port `fd` is bound to.
    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return withUnsafePointer(to: &storage) { pointer -> Int? in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default:
                return nil
            }
        }
    }
}
