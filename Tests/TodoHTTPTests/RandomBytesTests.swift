import Testing
import TodoCore
@testable import TodoHTTP

// MARK: - Ids from pooled kernel randomness

@Suite("Random ids from pooled kernel bytes")
struct RandomBytesTests {
    static let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")

    @Test("A byte picks the character at its value modulo 33; a byte of 231 or more is drawn again")
    func rejection() {
        var script: [UInt8] = [231, 255, 0, 32, 33, 230, 240, 64]
        let token = randomToken(length: 5) { script.removeFirst() }
        #expect(token == String([Self.alphabet[0], Self.alphabet[32], Self.alphabet[0], Self.alphabet[32], Self.alphabet[31]]))
        #expect(script.isEmpty, "231, 255 and 240 were drawn again")
    }

    @Test("Ids are the prefix and 16 characters of TodoCore's alphabet, safe as ids, and distinct")
    func ids() {
        let ids = (0..<2000).map { _ in ChatKitServer.newID("msg") }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("msg_") && id.utf8.count == 20 && isSafeID(id))
            #expect(id.dropFirst(4).allSatisfy { Self.alphabet.contains($0) }, "\(id)")
        }
    }

    @Test("One refill (one system call) serves about 14 ids; tokens stay distinct across refills")
    func refills() {
        let pool = RandomBytes()
        let tokens = (0..<2000).map { _ in pool.token(length: 16) }
        #expect(Set(tokens).count == tokens.count)
        // About 17.7 bytes per token (16 x 256/231), 256 bytes per refill: about 138 refills.
        #expect((120...160).contains(pool.refills), "\(pool.refills) refills for 2,000 tokens")
    }

    @Test("Every character is about equally likely (chi-square over 320,000 characters, 32 degrees of freedom)")
    func uniform() {
        var counts: [Character: Int] = [:]
        for _ in 0..<20_000 {
            for c in RandomBytes.shared.token(length: 16) { counts[c, default: 0] += 1 }
        }
        #expect(counts.count == 33)
        let expected = 320_000.0 / 33
        let chiSquare = counts.values.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // 32 degrees of freedom: a fair source exceeds 100 about once in 10^8 runs; a byte % 33 without the
        // rejection (the first 25 characters 8/7 as likely as the rest) gives about 980.
        #expect(chiSquare < 100, "chi-square \(chiSquare): \(counts.sorted { $0.key < $1.key })")
    }
}
