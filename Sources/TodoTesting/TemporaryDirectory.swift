#if canImport(Glibc)
import Glibc
#endif
import Foundation

// MARK: - Temporary directory

/// A fresh directory under `/tmp` (short paths: Unix socket paths must stay under 108 bytes).
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates `/tmp/<prefix>XXXXXX` with mode 0700.
    /// - Parameter prefix: a name prefix, for example `todod-e2e-`.
    public init(prefix: String = "todod-test-") throws {
        var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestingError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        path = String(cString: result)
    }

    /// `path/name`.
    /// - Parameter name: a relative name.
    public func appending(_ name: String) -> String { path + "/" + name }

    /// Removes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A failure inside a test helper.
public struct TestingError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    /// - Parameter description: what went wrong.
    public init(_ description: String) { self.description = description }
}
