#if canImport(Glibc)
import Glibc
#endif

// MARK: - Listener

/// Where the control server listens.
public enum ControlListener: Sendable, Hashable, CustomStringConvertible {
    /// Bind `path` ourselves; the file is created with `mode` and removed on shutdown.
    case path(String, mode: UInt32 = 0o600, groupID: UInt32? = nil)
    /// Adopt an already listening socket (systemd socket activation); never unlinked.
    case inherited(fd: Int32)

    public var description: String {
        switch self {
        case .path(let path, _, _): path
        case .inherited(let fd): "fd:\(fd)"
        }
    }
}

// MARK: - Path preparation

/// Prepares a socket path before binding: creates a missing parent directory (0700, or 0710 with a group),
/// removes a stale socket nobody answers on, and refuses when a live process listens there.
enum ControlSocketPath {
    static func prepare(_ path: String, groupID: UInt32?) throws {
        guard path.utf8.count < 108 else { throw ControlError.socketSetup("socket path is longer than 107 bytes: \(path)") }
        let parent = parentDirectory(of: path)
        if !parent.isEmpty { try makeDirectories(parent, mode: groupID == nil ? 0o700 : 0o710, groupID: groupID) }
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else {
            throw ControlError.socketSetup("\(path) exists and is not a socket")
        }
        if isLive(path) { throw ControlError.socketInUse(path) }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ControlError.socketSetup("cannot remove stale socket \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Sets the socket file's mode (and group) after bind; returns its inode so shutdown removes only our file.
    static func finish(_ path: String, mode: UInt32, groupID: UInt32?) throws -> UInt64 {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw ControlError.socketSetup("chmod \(path): \(String(cString: strerror(errno)))")
        }
        if let groupID { _ = chown(path, uid_t.max, groupID) }
        var st = stat()
        guard stat(path, &st) == 0 else { throw ControlError.socketSetup("stat \(path): \(String(cString: strerror(errno)))") }
        return UInt64(st.st_ino)
    }

    /// Removes `path` if it is still the socket we bound (same inode).
    static func remove(_ path: String, inode: UInt64) {
        var st = stat()
        if lstat(path, &st) == 0, UInt64(st.st_ino) == inode { unlink(path) }
    }

    /// Whether something accepts connections on `path`.
    static func isLive(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let result = withUnixSocketAddress(path) { connect(fd, $0, $1) }
        return result == 0
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func makeDirectories(_ directory: String, mode: UInt32, groupID: UInt32?) throws {
        var st = stat()
        if stat(directory, &st) == 0 { return }
        let parent = parentDirectory(of: directory)
        if !parent.isEmpty { try makeDirectories(parent, mode: mode, groupID: groupID) }
        guard mkdir(directory, mode_t(mode)) == 0 || errno == EEXIST else {
            throw ControlError.socketSetup("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        _ = chmod(directory, mode_t(mode))  // mkdir honours the umask
        if let groupID { _ = chown(directory, uid_t.max, groupID) }
    }
}
