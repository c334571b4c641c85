import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Threads and items

@Suite("Store contract: threads and items", .timeLimit(.minutes(2)))
struct ThreadContractTests {
    let alice = user("alice")
    let bob = user("bob")
    static func at(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: 1_767_225_600_000 + ms) }

    @Test("threads: save, replace metadata in place, get, page asc/desc with cursors, delete cascades items",
          arguments: StoreKind.available)
    func threads(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for i in 0..<5 {
                try await store.saveThread(StoredThread(id: "thr_\(i)", createdAt: Self.at(Int64(i)), payload: #"{"title":"t\#(i)","n":\#(i)}"#), for: alice)
            }
            try await store.saveThread(StoredThread(id: "thr_2", createdAt: Self.at(2), payload: #"{"title":"renamed","n":2}"#), for: alice)
            let two = try await store.thread("thr_2", for: alice)
            #expect(two.id == "thr_2" && two.createdAt == Self.at(2))
            #expect(sameJSON(two.payload, #"{"n":2,"title":"renamed"}"#), "\(kind): \(two.payload)")

            let p1 = try await store.threads(for: alice, page: PageRequest(limit: 2, order: .asc))
            #expect(p1.data.map(\.id) == ["thr_0", "thr_1"] && p1.hasMore && p1.after == "thr_1")
            let p2 = try await store.threads(for: alice, page: PageRequest(after: "thr_1", limit: 2, order: .asc))
            #expect(p2.data.map(\.id) == ["thr_2", "thr_3"] && p2.hasMore && p2.after == "thr_3")
            let p3 = try await store.threads(for: alice, page: PageRequest(after: "thr_3", limit: 2, order: .asc))
            #expect(p3.data.map(\.id) == ["thr_4"] && !p3.hasMore)
            let d1 = try await store.threads(for: alice, page: PageRequest(limit: 3))
            #expect(d1.data.map(\.id) == ["thr_4", "thr_3", "thr_2"] && d1.hasMore && d1.after == "thr_2")
            let d2 = try await store.threads(for: alice, page: PageRequest(after: "thr_2", limit: 3))
            #expect(d2.data.map(\.id) == ["thr_1", "thr_0"] && !d2.hasMore)
            #expect(try await store.threads(for: bob, page: PageRequest()).data.isEmpty)

            for i in 0..<3 { try await store.saveItem(item("it_\(i)", in: "thr_1", at: Int64(i)), for: alice) }
            try await store.deleteThread("thr_1", for: alice)
            #expect(await todoError { try await store.thread("thr_1", for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.item("it_0", threadID: "thr_1", for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.items(threadID: "thr_1", for: alice, page: PageRequest()) }?.code == .notFound)
            #expect(await todoError { try await store.deleteThread("thr_1", for: alice) }?.code == .notFound)
            // The id can be used again and starts empty: the items went with the thread.
            try await store.saveThread(StoredThread(id: "thr_1", createdAt: Self.at(10), payload: "{}"), for: alice)
            #expect(try await store.items(threadID: "thr_1", for: alice, page: PageRequest()).data.isEmpty)
            let all = try await store.threads(for: alice, page: PageRequest(limit: 100, order: .asc)).data.map(\.id)
            #expect(all == ["thr_0", "thr_2", "thr_3", "thr_4", "thr_1"])
        }
    }

    @Test("items: save, replace keeps position, get, delete, page asc/desc with cursors", arguments: StoreKind.available)
    func items(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveThread(StoredThread(id: "thr_a", createdAt: Self.at(0), payload: "{}"), for: alice)
            for i in 0..<25 { try await store.saveItem(item("it_\(i)", in: "thr_a", at: Int64(i)), for: alice) }
            try await store.saveItem(StoredItem(id: "it_5", threadID: "thr_a", createdAt: Self.at(5),
                                                payload: #"{"type":"message","text":"edited","parts":[1,2.5,true,null]}"#), for: alice)
            let five = try await store.item("it_5", threadID: "thr_a", for: alice)
            #expect(five.threadID == "thr_a" && five.createdAt == Self.at(5))
            #expect(sameJSON(five.payload, #"{"parts":[1,2.5,true,null],"text":"edited","type":"message"}"#), "\(kind): \(five.payload)")

            let p1 = try await store.items(threadID: "thr_a", for: alice, page: PageRequest(limit: 3, order: .asc))
            #expect(p1.data.map(\.id) == ["it_0", "it_1", "it_2"] && p1.hasMore && p1.after == "it_2")
            let p2 = try await store.items(threadID: "thr_a", for: alice, page: PageRequest(after: "it_2", limit: 3, order: .asc))
            #expect(p2.data.map(\.id) == ["it_3", "it_4", "it_5"], "a replaced item keeps its position")
            let last = try await store.items(threadID: "thr_a", for: alice, page: PageRequest(limit: 2, order: .desc))
            #expect(last.data.map(\.id) == ["it_24", "it_23"] && last.hasMore && last.after == "it_23")
            try await store.deleteItem("it_22", threadID: "thr_a", for: alice)
            let next = try await store.items(threadID: "thr_a", for: alice, page: PageRequest(after: "it_23", limit: 2, order: .desc))
            #expect(next.data.map(\.id) == ["it_21", "it_20"])
            #expect(await todoError { try await store.item("it_22", threadID: "thr_a", for: alice) }?.code == .notFound)
            #expect(await todoError { try await store.deleteItem("it_22", threadID: "thr_a", for: alice) }?.code == .notFound)
            let tail = try await store.items(threadID: "thr_a", for: alice, page: PageRequest(after: "it_20", limit: 100, order: .asc))
            #expect(tail.data.map(\.id) == ["it_21", "it_23", "it_24"] && !tail.hasMore)
            let everything = try await store.items(threadID: "thr_a", for: alice, page: PageRequest(limit: 100, order: .asc))
            #expect(everything.data.count == 24 && !everything.hasMore)
            #expect(await todoError { try await store.saveItem(item("x", in: "nope", at: 0), for: alice) }?.code == .notFound)
        }
    }

    @Test("another user's thread is notFound for every call, and nothing of it changes", arguments: StoreKind.available)
    func isolation(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.saveThread(StoredThread(id: "thr_s", createdAt: Self.at(0), payload: #"{"title":"secret"}"#), for: alice)
            try await store.saveItem(item("it_s", in: "thr_s", at: 1), for: alice)
            #expect(await todoError { try await store.thread("thr_s", for: bob) }?.code == .notFound)
            #expect(await todoError { try await store.items(threadID: "thr_s", for: bob, page: PageRequest()) }?.code == .notFound)
            #expect(await todoError { try await store.item("it_s", threadID: "thr_s", for: bob) }?.code == .notFound)
            #expect(await todoError { try await store.saveItem(item("it_b", in: "thr_s", at: 2), for: bob) }?.code == .notFound)
            #expect(await todoError { try await store.deleteItem("it_s", threadID: "thr_s", for: bob) }?.code == .notFound)
            #expect(await todoError { try await store.deleteThread("thr_s", for: bob) }?.code == .notFound)
            #expect(try await store.items(threadID: "thr_s", for: alice, page: PageRequest()).data.map(\.id) == ["it_s"])
            #expect(sameJSON(try await store.thread("thr_s", for: alice).payload, #"{"title":"secret"}"#))
        }
    }

    @Test("saveItems: thread and items in one write, in order, replace keeps position, all or nothing, survives reopen",
          arguments: StoreKind.available)
    func batch(kind: StoreKind) async throws {
        let opened = try await ContractStore.open(kind)
        let store = opened.store
        // A new thread with its first item.
        try await store.saveItems([item("it_0", in: "thr_b", at: 1)], thread: StoredThread(id: "thr_b", createdAt: Self.at(0), payload: "{}"), for: alice)
        #expect(try await store.thread("thr_b", for: alice).id == "thr_b")
        // Items only (the thread exists), one of them replacing an earlier item.
        try await store.saveItems([item("it_1", in: "thr_b", at: 2), item("it_2", in: "thr_b", at: 3)], thread: nil, for: alice)
        let edited = StoredItem(id: "it_0", threadID: "thr_b", createdAt: Self.at(1), payload: #"{"type":"message","text":"edited"}"#)
        try await store.saveItems([item("it_3", in: "thr_b", at: 4), edited],
                                  thread: StoredThread(id: "thr_b", createdAt: Self.at(0), payload: #"{"title":"named"}"#), for: alice)
        #expect(sameJSON(try await store.thread("thr_b", for: alice).payload, #"{"title":"named"}"#))
        let all = try await store.items(threadID: "thr_b", for: alice, page: PageRequest(limit: 100, order: .asc))
        #expect(all.data.map(\.id) == ["it_0", "it_1", "it_2", "it_3"], "\(kind): a replaced item keeps its position")
        #expect(sameJSON(try await store.item("it_0", threadID: "thr_b", for: alice).payload, #"{"type":"message","text":"edited"}"#))
        // Nothing is written when one item's thread is missing (or another user's), or one id is bad.
        let missing = await todoError {
            try await store.saveItems([self.item("it_4", in: "thr_b", at: 5), self.item("it_5", in: "nope", at: 6)], thread: nil, for: alice)
        }
        #expect(missing?.code == .notFound)
        #expect(await todoError { try await store.saveItems([self.item("it_6", in: "thr_b", at: 7)], thread: nil, for: bob) }?.code == .notFound)
        let invalid = await todoError {
            try await store.saveItems([self.item("it_7", in: "thr_b", at: 8), self.item("bad id", in: "thr_b", at: 9)], thread: nil, for: alice)
        }
        #expect(invalid?.code == .validation)
        #expect(await todoError { try await store.saveItems([], thread: StoredThread(id: "bad id", createdAt: Self.at(0), payload: "{}"), for: alice) }?.code == .validation)
        #expect(try await store.items(threadID: "thr_b", for: alice, page: PageRequest(limit: 100, order: .asc)).data.map(\.id) == ["it_0", "it_1", "it_2", "it_3"])
        // An empty batch is a no-op.
        try await store.saveItems([], thread: nil, for: alice)
        await store.close()
        let again = try await opened.reopen()
        let reloaded = try await again.items(threadID: "thr_b", for: alice, page: PageRequest(limit: 100, order: .asc))
        #expect(reloaded.data.map(\.id) == ["it_0", "it_1", "it_2", "it_3"], "\(kind): the batches are durable")
        #expect(sameJSON(try await again.thread("thr_b", for: alice).payload, #"{"title":"named"}"#))
        await again.close()
        await opened.cleanup()
    }

    private func item(_ id: String, in thread: String, at ms: Int64) -> StoredItem {
        StoredItem(id: id, threadID: thread, createdAt: Self.at(ms), payload: #"{"type":"message","text":"\#(id)"}"#)
    }
}
