#if canImport(Glibc)
import Glibc
#endif

// MARK: - Random bytes for ids, one system call per id

/// A cryptographically secure generator that takes its bytes from the kernel in one `getentropy(3)` call
/// (one `getrandom(2)`) per 16 values, where `SystemRandomNumberGenerator` makes one call per value: a
/// 16-character id drew 16 values, so a ChatKit turn made about 48 `getrandom` calls (counted with
/// `strace -c`), a third of its system calls.
/// The values are the kernel's random bytes either way; only the number of calls changes.
struct BatchedRandom: RandomNumberGenerator {
    private var values: [UInt64] = []
    private var index = 0

    init() {}

    mutating func next() -> UInt64 {
        if index == values.count { refill() }
        defer { index += 1 }
        return values[index]
    }

    private mutating func refill() {
        var fresh = [UInt64](repeating: 0, count: 16)
        let wanted = fresh.count * MemoryLayout<UInt64>.size
        var filled = 0
        #if canImport(Glibc)
        // getentropy(3): at most 256 bytes, all or nothing, one getrandom(2) call in glibc.
        filled = fresh.withUnsafeMutableBytes { raw in getentropy(raw.baseAddress!, wanted) == 0 ? wanted : 0 }
        #endif
        if filled < wanted {
            // No getrandom: the standard library's generator, one value at a time.
            var system = SystemRandomNumberGenerator()
            for i in fresh.indices { fresh[i] = system.next() }
        }
        values = fresh
        index = 0
    }
}
