import TodoCore

// MARK: - Recovery: the check before a deferred load

extension Recovery {
    /// How many bytes of a file's start and end `edgesAreClean` reads.
    static let edgeBytes = (head: 4096, tail: 65_536)

    /// Whether every data file ended cleanly, read from the files' edges only: no leftover temp file of an
    /// interrupted rewrite, and each file starts with a supported header of its kind and ends with a newline
    /// after a valid record. Then no file has a torn tail to cut, and the full load (`run()`) may wait until
    /// after start-up; any other case (a crash mid-append, a newer format, a missing header) returns false and
    /// the caller recovers before it serves anything.
    ///
    /// A corrupt line in the middle of a file is not seen here: the deferred load finds it and fail-stops.
    func edgesAreClean() throws -> Bool {
        try ensureDirectories()
        for name in try backend.list(usersDirectory) {
            guard (try? UserID(name)) != nil else { continue }
            let userDirectory = joinPath(usersDirectory, name)
            if try backend.list(userDirectory).contains(where: { $0.hasSuffix(".tmp") }) { return false }
            for kind in [FileKind.tasks, .threads] {
                let path = joinPath(userDirectory, kind.fileName)
                guard backend.exists(path) else { continue }
                let edges = try backend.readEdges(path, head: Self.edgeBytes.head, tail: Self.edgeBytes.tail)
                guard Self.edgesAreClean(edges, kind: kind) else { return false }
            }
        }
        return true
    }

    /// The pure part of `edgesAreClean()` for one file.
    static func edgesAreClean(_ edges: FileEdges, kind: FileKind) -> Bool {
        guard edges.size > 0, edges.tail.last == 0x0A else { return false }
        // The header: the first line, whole within the head.
        guard let firstNewline = edges.head.firstIndex(of: 0x0A),
              case .header(let k, let version)? = try? RecordCodec.decode(edges.head[..<firstNewline]),
              k == kind.rawValue, version >= 1, version <= storeFormatVersion
        else { return false }
        guard edges.size > firstNewline + 1 else { return true }
        // The last line, whole within the tail: a record other than a header.
        let body = edges.tail.dropLast()
        guard let previousNewline = body.lastIndex(of: 0x0A) else { return false }
        guard let last = try? RecordCodec.decode(body[(previousNewline + 1)...]) else { return false }
        if case .header = last { return false }
        return true
    }
}
