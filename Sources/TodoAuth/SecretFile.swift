#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - SecretFile

/// The HMAC secret kept in the data directory: 32 random bytes, stored as 64 hex characters, mode 0600.
///
/// The key used for HS256 is the file's text (its UTF-8 bytes), so scripts can mint tokens with it too.
enum SecretFile {
    /// The file name inside the data directory.
    static let name = "auth-secret"

    /// Reads the secret, creating it on first start.
    /// - Parameter directory: the data directory (must exist).
    /// - Returns: the key bytes.
    static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = directory + "/" + name
        if let existing = try read(path) { return existing }
        var rng = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in hexByte(UInt8.random(in: 0...255, using: &rng)) }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            // Lost a race with another creator: read theirs.
            if errno == EEXIST, let again = try read(path) { return again }
            throw AuthError.secretFile("\(path): cannot create (errno \(errno))")
        }
        defer { close(fd) }
        let bytes = Array((hex + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw AuthError.secretFile("\(path): write failed (errno \(errno))") }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
        return Array(hex.utf8)
    }

    /// The secret in `directory`, or nil when there is no such file (nothing is created).
    /// - Parameter directory: the data directory (need not exist).
    static func loadIfPresent(in directory: String) throws -> [UInt8]? {
        try read(directory + "/" + name)
    }

    private static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw AuthError.secretFile("\(path): cannot open (errno \(errno))")
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw AuthError.secretFile("\(path): read failed (errno \(errno))") }
        var bytes = Array(buffer[0..<n])
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        guard bytes.count >= 32 else { throw AuthError.secretFile("\(path): shorter than 32 bytes") }
        return bytes
    }
}

/// Two lowercase hex digits.
func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0x0F)]], as: UTF8.self)
}
