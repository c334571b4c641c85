#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// MARK: - SimulatedDisk

/// An in-memory disk that keeps what is synced apart from what is merely written, for crash and fault
/// tests (like SQLite's crash VFS and LevelDB's `FaultInjectionTestEnv`).
///
/// - File data is durable only after `fsync`/`fdatasync`; directory entries (create, rename, remove) only
///   after `fsyncDirectory` of their directory. `crash(tearLastWrite:)` drops everything else, optionally
///   keeping a prefix of the last unsynced write.
/// - `injectFault` fails the Nth write, fsync or rename with `EIO` or `ENOSPC`, once or persistently; a
///   failed write leaves the first half of its bytes behind (unsynced), like a short write on a full disk.
/// - `cutPower(afterOperations:)` makes every mutating call after the Nth fail, as if the machine died there.
public final class SimulatedDisk: StorageBackend {
    /// The error a fault produces.
    public enum Fault: Sendable {
        case eio, enospc

        var errno: Int32 { self == .eio ? EIO : ENOSPC }
    }

    /// Which calls a fault counts. `.fsync` covers fsync, fdatasync and directory fsync.
    public enum Operation: Sendable, CaseIterable {
        case write, fsync, rename
    }

    struct Node {
        var isDirectory: Bool
        var data: [UInt8] = []
        var synced: [UInt8] = []
        var entries: [String: Int] = [:]
        var syncedEntries: [String: Int] = [:]
        var mode: Int
    }

    struct FaultRule {
        var fault: Fault
        var operation: Operation
        var at: Int
        var persistent: Bool
        var seen = 0
    }

    struct State {
        var nodes: [Int: Node] = [0: Node(isDirectory: true, mode: 0o755)]
        var nextNode = 1
        var files: [Int32: Int] = [:]
        var nextFD: Int32 = 3
        var rules: [FaultRule] = []
        var counts: [Operation: Int] = [:]
        var mutations = 0
        var powerCutAfter: Int?
        var lastWrite: (node: Int, offset: Int, count: Int)?
        var locks: Set<String> = []
        var crashes = 0
    }

    let state = Mutex(State())

    /// An empty disk with only `/`.
    public init() {}

    // MARK: Test controls

    /// Fails the `at`-th call (1-based, counted from now) of `operation` with `fault`; with `persistent`,
    /// every later call of that kind fails too.
    public func injectFault(_ fault: Fault, at: Int, operation: Operation, persistent: Bool = false) {
        state.withLock { $0.rules.append(FaultRule(fault: fault, operation: operation, at: at, persistent: persistent)) }
    }

    /// After `count` more mutating calls (write, sync, rename, truncate, create, remove), every mutating
    /// call fails with `EIO` and changes nothing: the machine is gone. Follow with `crash()`.
    public func cutPower(afterOperations count: Int) {
        state.withLock { $0.powerCutAfter = $0.mutations + count }
    }

    /// Simulates power loss: unsynced data and directory entries vanish, descriptors and locks are gone,
    /// faults and power cuts are cleared.
    /// - Parameters:
    ///   - tearLastWrite: keep a prefix of the last write when it was not synced (a torn write).
    ///   - keepBytes: how many bytes of it to keep (default: half, at least 1, never all).
    public func crash(tearLastWrite: Bool = false, keepBytes: Int? = nil) {
        state.withLock { s in
            var tear: (node: Int, length: Int)?
            if tearLastWrite, let last = s.lastWrite, let node = s.nodes[last.node], last.count > 1,
                last.offset >= node.synced.count, node.data.count >= last.offset + last.count {
                let keep = min(max(keepBytes ?? last.count / 2, 1), last.count - 1)
                tear = (last.node, last.offset + keep)
            }
            for id in Array(s.nodes.keys) {
                var node = s.nodes[id]!
                if let tear, tear.node == id {
                    node.data = Array(node.data[0..<tear.length])
                    node.synced = node.data
                } else {
                    node.data = node.synced
                }
                node.entries = node.syncedEntries
                s.nodes[id] = node
            }
            s.files = [:]
            s.rules = []
            s.powerCutAfter = nil
            s.lastWrite = nil
            s.locks = []
            s.crashes += 1
        }
    }

    /// Simulates the process dying while the machine stays up (`kill -9`, exit after fail-stop): descriptors
    /// and locks are gone, but written data and directory entries stay, synced or not (the page cache).
    public func restartProcess() {
        state.withLock { s in
            s.files = [:]
            s.rules = []
            s.powerCutAfter = nil
            s.locks = []
            s.crashes += 1
        }
    }

    /// Calls made so far, per operation kind (to choose N for `injectFault`).
    public func count(of operation: Operation) -> Int { state.withLock { $0.counts[operation] ?? 0 } }

    /// Mutating calls made so far (to choose N for `cutPower`).
    public var mutatingOperations: Int { state.withLock { $0.mutations } }

    /// The current (not necessarily synced) content of a file, or nil.
    public func contents(of path: String) -> [UInt8]? {
        state.withLock { s in resolve(s, path).flatMap { s.nodes[$0] }.flatMap { $0.isDirectory ? nil : $0.data } }
    }

    /// Replaces a file's content durably (creating it), for corruption tests.
    public func setContents(of path: String, to bytes: [UInt8]) throws {
        try state.withLock { s in
            let (parent, name) = try parentAndName(s, path)
            let id = s.nodes[parent]!.entries[name] ?? newNode(&s, isDirectory: false)
            s.nodes[parent]!.entries[name] = id
            s.nodes[parent]!.syncedEntries[name] = id
            s.nodes[id]!.data = bytes
            s.nodes[id]!.synced = bytes
        }
    }

    /// The permission bits a file or directory was created with, or nil.
    public func mode(of path: String) -> Int? {
        state.withLock { s in resolve(s, path).flatMap { s.nodes[$0]?.mode } }
    }
}

// MARK: - Cloning

extension SimulatedDisk {
    /// An independent copy of this disk in its current state (synced and unsynced), for crash-point tests.
    public func clone() -> SimulatedDisk {
        let copy = SimulatedDisk()
        let current = state.withLock { $0 }
        copy.state.withLock { $0 = current }
        return copy
    }
}
