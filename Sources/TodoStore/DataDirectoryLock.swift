#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - DataDirectoryLock

/// One todod per data directory: an exclusive `flock` on `DIR/todod.lock`, which also holds the owner's pid.
///
/// `Store.open` takes this lock itself (through `StorageBackend.lock`); do not take it a second time in the
/// same process, because `flock` locks conflict between two descriptors of one process too.
public struct DataDirectoryLock: Sendable {
    /// The lock file's descriptor.
    public let descriptor: Int32
    /// The lock file's path.
    public let path: String

    /// Takes the lock, writing our pid into the lock file.
    /// - Parameter directory: the data directory (must exist).
    /// - Throws: `StoreError` `.locked` ("another todod (pid N) is using DIR") or `.io`.
    public static func acquire(directory: String) throws -> DataDirectoryLock {
        let path = joinPath(directory, "todod.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("open", path: path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            let pid = readPID(fd)
            _ = close(fd)
            guard err == EWOULDBLOCK else { throw StoreError.io("flock", path: path, errno: err) }
            let who = pid.map { "another todod (pid \($0))" } ?? "another todod"
            throw StoreError(.locked, "\(who) is using \(directory); stop it first or choose another --data-dir", path: path)
        }
        // Overwrite the previous owner's pid in place and cut only what is left of a longer one: truncating the
        // file to zero first stalled start-up for up to 0.7 s on a busy ext4 disk (a journal wait, issue 11).
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        var info = stat()
        if fstat(fd, &info) == 0, Int(info.st_size) > text.count { _ = ftruncate(fd, off_t(text.count)) }
        return DataDirectoryLock(descriptor: fd, path: path)
    }

    /// Releases the lock (closing the descriptor releases the `flock`).
    public func release() {
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
    }

    private static func readPID(_ fd: Int32) -> Int? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buf[0..<n], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return Int(text)
    }
}
