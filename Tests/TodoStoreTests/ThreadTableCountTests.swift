import Testing
import TodoCore
@testable import TodoStore

// MARK: - The live item count a commit reads

@Suite("Store: the thread table's live item count")
struct ThreadTableCountTests {
    /// A deterministic mix of saves, replacements, item deletions (of live, missing and already deleted items),
    /// thread deletions and recreations, across a few threads.
    static func records(seed: UInt64, count: Int) -> [StoreRecord] {
        var rng = seed
        func next(_ bound: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(bound))
        }
        var out: [StoreRecord] = []
        for n in 0..<count {
            let thread = "thr_\(next(4))"
            let item = "it_\(next(12))"
            switch next(10) {
            case 0: out.append(.threadDeleted(id: thread))
            case 1, 2: out.append(.thread(StoredThread(id: thread, createdAt: Timestamp(millisecondsSinceEpoch: Int64(n)), payload: "{}")))
            case 3, 4: out.append(.itemDeleted(id: item, threadID: thread))
            default: out.append(.item(StoredItem(id: item, threadID: thread, createdAt: Timestamp(millisecondsSinceEpoch: Int64(n)), payload: "{}")))
            }
        }
        return out
    }

    @Test("kept as changes apply, it equals a recount of every thread's live items after each change", arguments: [1, 2, 3, 42] as [UInt64])
    func countMatchesRecount(seed: UInt64) {
        var table = ThreadTable()
        var checked = 0
        for record in Self.records(seed: seed, count: 600) {
            table.apply(record)
            let recount = table.items.values.reduce(0) { $0 + $1.live }
            #expect(table.itemCount == recount, "after \(record)")
            checked += 1
        }
        #expect(checked == 600)
        #expect(table.itemCount > 0, "the mix leaves live items to count")
    }
}

@Suite("Store: item counts across lazy loading")
struct LazyItemCountTests {
    @Test("changes to threads whose items are still undecoded keep the count exact (checked against a reopen)")
    func changesToUndecodedThreads() async throws {
        let lazy = LazyThreadLoadingTests()
        let alice = lazy.alice
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        try await lazy.populate(store)
        await store.close()

        let again = try await openSimulated(disk)
        let before = await again.stats().items
        #expect(await again.unloadedThreadCount(for: alice) == 3)
        // One change each to three undecoded threads: delete a live item, add a new one, delete the thread.
        try await again.deleteItem("it_0_1", threadID: "thr_0", for: alice)
        try await again.saveItem(lazy.item("it_1_new", "thr_1", 2), for: alice)
        try await again.deleteThread("thr_3", for: alice)
        let after = await again.stats().items
        #expect(after == before - 1 + 1 - 1, "thr_3 held one live item")
        await again.close()

        let reopened = try await openSimulated(disk)
        #expect(await reopened.stats().items == after)
        await reopened.close()
    }
}
