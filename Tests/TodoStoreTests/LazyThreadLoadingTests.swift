import Foundation
import Logging
import Testing
import TodoCore
@testable import TodoStore

// MARK: - Thread items decoded on first use

@Suite("Store: thread items load lazily", .timeLimit(.minutes(2)))
struct LazyThreadLoadingTests {
    let alice = user("alice")
    static let path = "/data/users/alice/threads.jsonl"

    /// Payloads a ChatKit item may carry: escapes, non-ASCII, a surrogate-pair emoji, backslashes.
    static let payloads = [
        #"{"type":"user_message","content":[{"type":"input_text","text":"add \"buy milk\" tomorrow"}]}"#,
        #"{"type":"assistant_message","text":"Grüße 😀 \\ back\\slash \u{0007} tab\t line\nnext"}"#,
        "{}",
        "{\"text\":\"line\nnext\ttab\u{7}bell\"}",
    ]

    func thread(_ id: String, at ms: Int64) -> StoredThread {
        StoredThread(id: id, createdAt: Timestamp(millisecondsSinceEpoch: ms), payload: #"{"title":"t \"\#(id)\""}"#)
    }

    func item(_ id: String, _ threadID: String, _ n: Int) -> StoredItem {
        StoredItem(id: id, threadID: threadID, createdAt: Timestamp(millisecondsSinceEpoch: 1_000 + Int64(n)), payload: Self.payloads[n % Self.payloads.count])
    }

    func counts(_ stats: StoreStats) -> [Int] { [stats.users, stats.tasks, stats.threads, stats.items, stats.bytes] }

    /// Writes threads with replaced and deleted items, a deleted thread, and a deleted-then-recreated thread.
    func populate(_ store: Store) async throws {
        for t in 0..<4 {
            try await store.saveThread(thread("thr_\(t)", at: Int64(t)), for: alice)
            for i in 0..<12 { try await store.saveItem(item("it_\(t)_\(i)", "thr_\(t)", i), for: alice) }
        }
        try await store.saveItem(item("it_0_3", "thr_0", 7), for: alice)
        try await store.deleteItem("it_0_5", threadID: "thr_0", for: alice)
        try await store.deleteItem("it_1_0", threadID: "thr_1", for: alice)
        try await store.deleteThread("thr_2", for: alice)
        try await store.deleteThread("thr_3", for: alice)
        try await store.saveThread(thread("thr_3", at: 9), for: alice)
        try await store.saveItem(item("it_3_new", "thr_3", 1), for: alice)
        try await store.saveThread(thread("thr_empty", at: 10), for: alice)
    }

    @Test("a reopened store keeps items undecoded until a thread is used, and then shows exactly what was written")
    func reopenMatches() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        try await populate(store)
        let expected = try await snapshot(of: store, users: [alice])
        let expectedStats = counts(await store.stats())
        await store.close()

        let again = try await openSimulated(disk)
        #expect(await again.unloadedThreadCount(for: alice) == 3, "thr_0, thr_1 and the recreated thr_3 wait undecoded")
        #expect(counts(await again.stats()) == expectedStats, "item counts are exact without decoding")
        let page = try await again.items(threadID: "thr_1", for: alice, page: PageRequest(limit: 5, order: .asc))
        #expect(page.data.map(\.id) == (1...5).map { "it_1_\($0)" })
        #expect(await again.unloadedThreadCount(for: alice) == 2, "only the thread read was decoded")
        #expect(try await snapshot(of: again, users: [alice]) == expected)
        #expect(await again.unloadedThreadCount(for: alice) == 0)
        #expect(counts(await again.stats()) == expectedStats)
        await again.close()
    }

    @Test("changes to a not-yet-decoded thread keep its earlier items, in order, across another restart")
    func changeBeforeRead() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        try await populate(store)
        await store.close()

        let again = try await openSimulated(disk)
        try await again.saveItem(item("it_0_late", "thr_0", 2), for: alice)
        try await again.deleteItem("it_1_1", threadID: "thr_1", for: alice)
        #expect(try await again.item("it_0_3", threadID: "thr_0", for: alice).payload == Self.payloads[7 % Self.payloads.count])
        let expected = try await snapshot(of: again, users: [alice])
        #expect(expected.items["alice"]?["thr_0"]?.last?.id == "it_0_late")
        #expect(expected.items["alice"]?["thr_0"]?.count == 12)
        #expect(expected.items["alice"]?["thr_1"]?.count == 10)
        await again.close()
        disk.crash()
        #expect(try await snapshot(of: try await openSimulated(disk), users: [alice]) == expected)
    }

    @Test("compaction, export and backup after a restart include items of threads never read")
    func maintenanceDecodesEverything() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        try await populate(store)
        let expected = try await snapshot(of: store, users: [alice])
        await store.close()

        let exporter = try await openSimulated(disk)
        let document = try await exporter.exportAll()
        #expect(document.users.first?.threads.map(\.items.count) == [11, 11, 1, 0])
        let report = try await exporter.compact()
        #expect(report.linesAfter == 4 + 23)
        await exporter.close()
        disk.crash()
        #expect(try await snapshot(of: try await openSimulated(disk), users: [alice]) == expected)
    }

    @Test("a corrupt item line in the middle still refuses to open, naming the line; one at the end is cut")
    func corruptItemLines() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        try await populate(store)
        await store.close()
        let bytes = try #require(disk.contents(of: Self.path))
        let bad = Array(#"{"op":"item","id":"it_x","thread_id":"thr_0","created_at":"2026-01-01T00:00:00.000Z","payload":"bad \q escape"}"#.utf8) + [0x0A]
        let third = bytes.indices.filter { bytes[$0] == 0x0A }[2] + 1

        let middle = SimulatedDisk()
        try makeUserDirectory(middle)
        try middle.setContents(of: Self.path, to: Array(bytes[..<third]) + bad + Array(bytes[third...]))
        do {
            _ = try await openSimulated(middle)
            Issue.record("open should refuse a corrupt file")
        } catch let error as StoreError {
            #expect(error.code == .corruptRecord && error.line == 4)
            #expect("\(error)".contains("unknown escape"), "the full decoder's reason: \(error)")
        }

        let tail = SimulatedDisk()
        try makeUserDirectory(tail)
        try tail.setContents(of: Self.path, to: bytes + bad)
        let reopened = try await openSimulated(tail)
        #expect(tail.contents(of: Self.path) == bytes)
        #expect(try await reopened.items(threadID: "thr_0", for: alice, page: PageRequest(limit: 100, order: .asc)).data.count == 11)
    }

    @Test("the lean thread-line decoder accepts and refuses exactly what the full decoder does", arguments: [
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"lone \ud83d high"}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"lone \ude00 low"}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"short \u12"}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"bad \x"}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":12}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"x","payload":null}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z"}"#,
        #"{"op":"item","id":"a b","thread_id":"t","created_at":"2026-01-01T00:00:00.000Z","payload":"\"x\""}"#,
        #"{"op":"item","id":"a","thread_id":"\u0074","created_at":"2026-01-01T00:00:00.000Z","payload":"\"x\""}"#,
        #"{"op":"item","id":"a","thread_id":"t","created_at":"yesterday","payload":"\"x\""}"#,
        #"{"payload":"\"x\"","op":"thread","id":"t","created_at":"2026-01-01T00:00:00.000Z"}"#,
        #"{"op":"item_deleted","id":"a","thread_id":"t"}"#,
    ])
    func leanDecoderAgrees(line: String) throws {
        for bytes in [Array(line.utf8), Array(line.utf8).replacing(Array("\\n".utf8), with: [0xC3, 0x28])] {
            let full = try? RecordCodec.decode(bytes)
            let lean = try? bytes.withUnsafeBufferPointer { try RecordCodec.decodeThreadLine(buffer: $0) }
            switch lean {
            case nil: #expect(full == nil)
            case .record(let record): #expect(full == record)
            case .item(let id, let threadID): #expect(full == .item(StoredItem(id: id, threadID: threadID, createdAt: full.itemCreatedAt, payload: full.itemPayload)))
            case .itemDeleted(let id, let threadID): #expect(full == .itemDeleted(id: id, threadID: threadID))
            }
            RecordCodec.fuzzCheck(bytes)
        }
    }
}

extension Optional where Wrapped == StoreRecord {
    /// The created_at of an item record (epoch otherwise), for comparing a lean item with the full one.
    fileprivate var itemCreatedAt: Timestamp {
        if case .item(let item) = self { return item.createdAt }
        return Timestamp(millisecondsSinceEpoch: 0)
    }

    fileprivate var itemPayload: String {
        if case .item(let item) = self { return item.payload }
        return ""
    }
}
