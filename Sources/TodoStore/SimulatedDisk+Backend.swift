#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// MARK: - StorageBackend conformance

extension SimulatedDisk {
    public func createDirectory(_ path: String) throws {
        try mutate("mkdir", path, nil) { s in
            let (parent, name) = try parentAndName(s, path)
            if let existing = s.nodes[parent]!.entries[name] {
                guard s.nodes[existing]!.isDirectory else { throw StoreError.io("mkdir", path: path, errno: ENOTDIR) }
                s.nodes[existing]!.mode = 0o700
                return
            }
            let id = newNode(&s, isDirectory: true)
            s.nodes[parent]!.entries[name] = id
        }
    }

    public func exists(_ path: String) -> Bool {
        state.withLock { resolve($0, path) != nil }
    }

    public func list(_ directory: String) throws -> [String] {
        try state.withLock { s in
            guard let id = resolve(s, directory), let node = s.nodes[id], node.isDirectory else {
                throw StoreError.io("opendir", path: directory, errno: ENOENT)
            }
            return node.entries.keys.sorted()
        }
    }

    public func read(_ path: String) throws -> [UInt8] {
        try state.withLock { s in
            guard let id = resolve(s, path), let node = s.nodes[id], !node.isDirectory else { throw StoreError.io("open", path: path, errno: ENOENT) }
            return node.data
        }
    }

    public func open(_ path: String, mode: StorageOpenMode) throws -> StorageFile {
        try mutate("open", path, nil) { s in
            let (parent, name) = try parentAndName(s, path)
            let id: Int
            if let existing = s.nodes[parent]!.entries[name] {
                if case .createExclusive = mode { throw StoreError.io("open", path: path, errno: EEXIST) }
                guard !s.nodes[existing]!.isDirectory else { throw StoreError.io("open", path: path, errno: EISDIR) }
                id = existing
            } else {
                id = newNode(&s, isDirectory: false)
                s.nodes[parent]!.entries[name] = id
            }
            let fd = s.nextFD
            s.nextFD += 1
            s.files[fd] = id
            return StorageFile(descriptor: fd, path: path)
        }
    }

    public func write(_ file: StorageFile, _ bytes: [UInt8]) throws {
        try mutate("write", file.path, .write, partial: { s in
            guard let id = s.files[file.descriptor] else { return }
            s.nodes[id]!.data += bytes.prefix(bytes.count / 2)
        }) { s in
            let id = try node(s, file)
            let offset = s.nodes[id]!.data.count
            s.nodes[id]!.data += bytes
            s.lastWrite = (id, offset, bytes.count)
        }
    }

    public func fsync(_ file: StorageFile) throws {
        try mutate("fsync", file.path, .fsync) { s in
            let id = try node(s, file)
            s.nodes[id]!.synced = s.nodes[id]!.data
        }
    }

    public func fdatasync(_ file: StorageFile) throws {
        try mutate("fdatasync", file.path, .fsync) { s in
            let id = try node(s, file)
            s.nodes[id]!.synced = s.nodes[id]!.data
        }
    }

    public func truncate(_ file: StorageFile, to length: Int) throws {
        try mutate("ftruncate", file.path, nil) { s in
            let id = try node(s, file)
            let data = s.nodes[id]!.data
            s.nodes[id]!.data = length <= data.count ? Array(data[0..<length]) : data + [UInt8](repeating: 0, count: length - data.count)
        }
    }

    public func close(_ file: StorageFile) {
        _ = state.withLock { $0.files.removeValue(forKey: file.descriptor) }
    }

    public func rename(_ from: String, to: String) throws {
        try mutate("rename", from + " -> " + to, .rename) { s in
            let (fromParent, fromName) = try parentAndName(s, from)
            let (toParent, toName) = try parentAndName(s, to)
            guard let id = s.nodes[fromParent]!.entries[fromName] else { throw StoreError.io("rename", path: from, errno: ENOENT) }
            s.nodes[fromParent]!.entries[fromName] = nil
            s.nodes[toParent]!.entries[toName] = id
        }
    }

    public func fsyncDirectory(_ path: String) throws {
        try mutate("fsync", path, .fsync) { s in
            guard let id = resolve(s, path), s.nodes[id]!.isDirectory else { throw StoreError.io("open", path: path, errno: ENOENT) }
            s.nodes[id]!.syncedEntries = s.nodes[id]!.entries
        }
    }

    public func remove(_ path: String) throws {
        try mutate("unlink", path, nil) { s in
            let (parent, name) = try parentAndName(s, path)
            guard s.nodes[parent]!.entries.removeValue(forKey: name) != nil else { throw StoreError.io("unlink", path: path, errno: ENOENT) }
        }
    }

    public func lock(directory: String) throws -> StorageLock {
        let taken = state.withLock { s -> Bool in
            guard !s.locks.contains(directory) else { return false }
            s.locks.insert(directory)
            return true
        }
        guard taken else {
            throw StoreError(.locked, "another todod (simulated) is using \(directory)", path: joinPath(directory, "todod.lock"))
        }
        let crashes = state.withLock { $0.crashes }
        return StorageLock { [self] in
            state.withLock { s in if s.crashes == crashes { s.locks.remove(directory) } }
        }
    }

    // MARK: Machinery

    /// Runs a mutating call: counts it, applies power cuts and faults, then `body`.
    private func mutate<T>(
        _ name: String, _ path: String, _ operation: Operation?, partial: (inout State) -> Void = { _ in }, _ body: (inout State) throws -> T
    ) throws -> T {
        try state.withLock { s in
            s.mutations += 1
            if let cut = s.powerCutAfter, s.mutations > cut { throw StoreError.io(name, path: path, errno: EIO) }
            if let operation {
                s.counts[operation, default: 0] += 1
                for i in s.rules.indices where s.rules[i].operation == operation {
                    s.rules[i].seen += 1
                    let rule = s.rules[i]
                    if rule.seen == rule.at || (rule.persistent && rule.seen > rule.at) {
                        partial(&s)
                        throw StoreError.io(name, path: path, errno: rule.fault.errno)
                    }
                }
            }
            return try body(&s)
        }
    }
}

// MARK: - Path resolution

func resolve(_ s: SimulatedDisk.State, _ path: String) -> Int? {
    var id = 0
    for part in path.split(separator: "/") where part != "." {
        guard let node = s.nodes[id], node.isDirectory, let next = node.entries[String(part)] else { return nil }
        id = next
    }
    return id
}

func parentAndName(_ s: SimulatedDisk.State, _ path: String) throws -> (Int, String) {
    let parentPath = parentDirectory(path)
    let name = String(path.split(separator: "/").last ?? "")
    guard !name.isEmpty, let parent = resolve(s, parentPath), s.nodes[parent]!.isDirectory else {
        throw StoreError.io("lookup", path: path, errno: ENOENT)
    }
    return (parent, name)
}

func newNode(_ s: inout SimulatedDisk.State, isDirectory: Bool) -> Int {
    let id = s.nextNode
    s.nextNode += 1
    s.nodes[id] = SimulatedDisk.Node(isDirectory: isDirectory, mode: isDirectory ? 0o700 : 0o600)
    return id
}

func node(_ s: SimulatedDisk.State, _ file: StorageFile) throws -> Int {
    guard let id = s.files[file.descriptor] else { throw StoreError.io("use", path: file.path, errno: EBADF) }
    return id
}
