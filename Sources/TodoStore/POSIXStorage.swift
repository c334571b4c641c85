#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - POSIXStorage

/// The real disk: thin wrappers over open/write/fdatasync/rename/…, each return value checked.
public struct POSIXStorage: StorageBackend {
    public init() {}

    public func createDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0 {
            let err = errno
            guard err == EEXIST else { throw StoreError.io("mkdir", path: path, errno: err) }
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                throw StoreError.io("mkdir", path: path, errno: ENOTDIR)
            }
            if st.st_mode & 0o077 != 0, chmod(path, 0o700) != 0 {
                throw StoreError.io("chmod", path: path, errno: errno)
            }
        }
    }

    public func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    public func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw StoreError.io("opendir", path: directory, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func read(_ path: String) throws -> [UInt8] {
        try withReadableFile(path) { fd, size in
            var out = [UInt8](repeating: 0, count: size)
            var filled = 0
            while true {
                filled = try fill(fd, &out, from: filled, offset: nil, path: path)
                guard filled == out.count else { break }
                // Full: the file may have grown since fstat, so read on until it ends.
                out.append(contentsOf: repeatElement(0, count: 65_536))
            }
            out.removeSubrange(filled...)
            return out
        }
    }

    public func readEdges(_ path: String, head: Int, tail: Int) throws -> FileEdges {
        try withReadableFile(path) { fd, size in
            func range(_ offset: Int, _ count: Int) throws -> [UInt8] {
                var out = [UInt8](repeating: 0, count: count)
                out.removeSubrange(try fill(fd, &out, from: 0, offset: offset, path: path)...)
                return out
            }
            let tailCount = min(tail, size)
            return FileEdges(size: size, head: try range(0, min(head, size)), tail: try range(size - tailCount, tailCount))
        }
    }

    /// Opens `path` read-only and runs `body` with the descriptor and the file's size (from fstat).
    private func withReadableFile<T>(_ path: String, _ body: (Int32, Int) throws -> T) throws -> T {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io("open", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StoreError.io("fstat", path: path, errno: errno) }
        return try body(fd, Int(st.st_size))
    }

    /// Reads into `buffer` from index `start` until it is full or the file ends (`read` at the file position,
    /// or `pread` at `offset + start`), retrying on EINTR; returns how much of `buffer` is filled.
    private func fill(_ fd: Int32, _ buffer: inout [UInt8], from start: Int, offset: Int?, path: String) throws -> Int {
        var filled = start
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { buf in
                let at = buf.baseAddress! + filled, count = buf.count - filled
                if let offset { return pread(fd, at, count, off_t(offset + filled)) }
                return Glibc.read(fd, at, count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io("read", path: path, errno: errno)
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    public func open(_ path: String, mode: StorageOpenMode) throws -> StorageFile {
        var flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC
        if case .createExclusive = mode { flags |= O_EXCL }
        let fd = Glibc.open(path, flags, 0o600)
        guard fd >= 0 else { throw StoreError.io("open", path: path, errno: errno) }
        return StorageFile(descriptor: fd, path: path)
    }

    public func write(_ file: StorageFile, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = Glibc.write(file.descriptor, buf.baseAddress! + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.io("write", path: file.path, errno: errno)
                }
                done += n
            }
        }
    }

    public func fsync(_ file: StorageFile) throws {
        guard Glibc.fsync(file.descriptor) == 0 else { throw StoreError.io("fsync", path: file.path, errno: errno) }
    }

    public func fdatasync(_ file: StorageFile) throws {
        guard Glibc.fdatasync(file.descriptor) == 0 else { throw StoreError.io("fdatasync", path: file.path, errno: errno) }
    }

    public func truncate(_ file: StorageFile, to length: Int) throws {
        guard ftruncate(file.descriptor, off_t(length)) == 0 else { throw StoreError.io("ftruncate", path: file.path, errno: errno) }
    }

    public func close(_ file: StorageFile) {
        _ = Glibc.close(file.descriptor)
    }

    public func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw StoreError.io("rename", path: from + " -> " + to, errno: errno) }
    }

    public func fsyncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io("open", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw StoreError.io("fsync", path: path, errno: errno) }
    }

    public func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw StoreError.io("unlink", path: path, errno: errno) }
    }

    public func lock(directory: String) throws -> StorageLock {
        let lock = try DataDirectoryLock.acquire(directory: directory)
        return StorageLock { lock.release() }
    }
}
