#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TodoCore

// MARK: - Random bytes for ids, one system call per few ids

/// The kernel's random bytes for ChatKit thread and item ids, fetched 256 at a time (one `getentropy(3)`, one
/// `getrandom(2)`) for the whole process and spent one byte per character (`randomToken(length:nextByte:)`):
/// about 14 ids per system call. A fresh generator per id made one call per id, three per chat turn (counted
/// with `perf trace -s`: 3.0 of 22.5 system calls per c16 turn); before that, `SystemRandomNumberGenerator`
/// made one per character. The bytes are the kernel's either way; only the number of calls changes.
final class RandomBytes: Sendable {
    /// The process's pool.
    static let shared = RandomBytes()

    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 256)
        var index = 256
        var refills = 0
    }

    private let pool = Mutex(Pool())

    /// A token of `length` characters of TodoCore's id alphabet.
    func token(length: Int) -> String {
        pool.withLock { p in
            randomToken(length: length) {
                if p.index == p.bytes.count {
                    Self.refill(&p.bytes)
                    p.index = 0
                    p.refills += 1
                }
                defer { p.index += 1 }
                return p.bytes[p.index]
            }
        }
    }

    /// How many times the pool was refilled (for tests).
    var refills: Int { pool.withLock { $0.refills } }

    private static func refill(_ bytes: inout [UInt8]) {
        let wanted = bytes.count
        var filled = 0
        #if canImport(Glibc)
        // getentropy(3): at most 256 bytes, all or nothing, one getrandom(2) call in glibc.
        filled = bytes.withUnsafeMutableBytes { raw in getentropy(raw.baseAddress!, wanted) == 0 ? wanted : 0 }
        #endif
        if filled < wanted {
            // No getrandom: the standard library's generator.
            var system = SystemRandomNumberGenerator()
            for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &system) }
        }
    }
}
