import CSystemd
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Inherited sockets

/// A socket passed by the service manager (socket activation).
public struct InheritedSocket: Sendable, Hashable {
    /// The descriptor (3, 4, ...).
    public var fd: Int32
    /// Its `FileDescriptorName=` (`control`, `http`), or `unknown`.
    public var name: String

    /// - Parameters:
    ///   - fd: the descriptor.
    ///   - name: its name.
    public init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }
}

/// Socket activation: the descriptors systemd passed, by name.
public enum SystemdListenFDs {
    /// Takes the passed descriptors (`sd_listen_fds_with_names`) and unsets `LISTEN_*` so children do not
    /// inherit them. Returns an empty list outside socket activation.
    public static func take() -> [InheritedSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        guard count > 0 else { return [] }
        defer {
            if let names {
                for i in 0..<Int(count) { free(names[i]) }
                free(names)
            }
        }
        return (0..<count).map { i in
            let name = names?[Int(i)].map { String(cString: $0) } ?? "unknown"
            return InheritedSocket(fd: SD_LISTEN_FDS_START + i, name: name)
        }
    }

    /// Whether `fd` is a listening Unix stream socket.
    /// - Parameter fd: the descriptor.
    public static func isUnixStreamListener(_ fd: Int32) -> Bool {
        sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
    }

    /// Whether `fd` is a listening TCP socket.
    /// - Parameter fd: the descriptor.
    public static func isInetStreamListener(_ fd: Int32) -> Bool {
        sd_is_socket_inet(fd, Int32(AF_UNSPEC), Int32(SOCK_STREAM.rawValue), 1, 0) > 0
    }
}
