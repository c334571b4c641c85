import Foundation

// MARK: - Built binaries

/// Finds the package's built executables (`todod`, `todoctl`, `todo-bench`) for tests that run them.
public enum BuildProducts {
    /// The build directory: `$TODOD_BUILD_DIR`, else the directory of the running test binary when it holds
    /// `todod`, else `<package>/.build/debug` derived from this file's path.
    /// - Parameter filePath: leave the default.
    public static func directory(filePath: String = #filePath) -> String {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["TODOD_BUILD_DIR"], !explicit.isEmpty { return explicit }
        if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = (exe as NSString).deletingLastPathComponent
            for _ in 0..<4 {
                if fm.isExecutableFile(atPath: dir + "/todod") { return dir }
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        var dir = (filePath as NSString).deletingLastPathComponent
        while dir != "/" && !fm.fileExists(atPath: dir + "/Package.swift") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/.build/debug"
    }

    /// The path of a built executable.
    /// - Parameter name: `todod`, `todoctl` or `todo-bench`.
    /// - Throws: when it has not been built (run `swift build` first).
    public static func path(of name: String) throws -> String {
        let path = directory() + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestingError("\(path) not found: run `swift build` before the tests")
        }
        return path
    }
}
