import Testing
import TodoCore
@testable import TodoHTTP

// MARK: - Ids from batched kernel randomness

@Suite("Batched random ids")
struct BatchedRandomTests {
    @Test("Values keep coming across refills (16 per system call) and do not repeat")
    func refills() {
        var rng = BatchedRandom()
        let values = (0..<100).map { _ in rng.next() }
        #expect(Set(values).count == 100)
    }

    @Test("Ids are the prefix and 16 characters of TodoCore's alphabet, safe as ids, and distinct")
    func ids() {
        let ids = (0..<2000).map { _ in ChatKitServer.newID("msg") }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("msg_") && id.utf8.count == 20 && isSafeID(id))
            #expect(id.dropFirst(4).allSatisfy { "abcdefghijkmnopqrstuvwxyz23456789".contains($0) }, "\(id)")
        }
    }
}
