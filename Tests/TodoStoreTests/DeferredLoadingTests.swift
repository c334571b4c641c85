import Foundation
import Logging
import Synchronization
import Testing
import TodoCore
@testable import TodoStore

// MARK: - Deferred loading (StoreOptions.deferLoading, what the daemon uses)

@Suite("Deferred store loading", .timeLimit(.minutes(2)))
struct DeferredLoadingTests {
    let alice = user("alice")
    static let path = "/data/users/alice/tasks.jsonl"

    var deferred: StoreOptions {
        var options = StoreOptions()
        options.deferLoading = true
        return options
    }

    /// A disk holding `count` tasks of alice and one thread with two items, closed cleanly.
    func makeDisk(count: Int) async throws -> SimulatedDisk {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        for i in 0..<count { _ = try await store.addTask(TaskDraft(title: "task \(i)"), for: alice, requestID: "r\(i)") }
        let thread = StoredThread(id: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 1_000), payload: "{}")
        try await store.saveThread(thread, for: alice)
        for n in 0..<2 {
            try await store.saveItem(StoredItem(id: "msg_\(n)", threadID: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 2_000 + Int64(n)), payload: "{}"), for: alice)
        }
        await store.close()
        return disk
    }

    @Test("cleanly ended files: open returns before the load, and every request sees the whole store")
    func cleanFilesLoadLater() async throws {
        let disk = try await makeDisk(count: 30)
        let store = try await openSimulated(disk, options: deferred)
        // Requests of every kind wait for the same load; none sees a partial store.
        async let tasks = store.tasks(for: alice, filter: .all)
        async let items = store.items(threadID: "thr_1", for: alice, page: PageRequest(limit: 10, order: .asc))
        #expect(try await tasks.count == 30)
        #expect(try await items.data.map(\.id) == ["msg_0", "msg_1"])
        #expect(await store.isLoading == false)
        #expect(await store.stats().tasks == 30)
        _ = try await store.addTask(TaskDraft(title: "after the load"), for: alice, requestID: "r-after")
        await store.close()
        disk.crash()
        #expect(try await openSimulated(disk, options: deferred).tasks(for: alice, filter: .all).count == 31)
    }

    @Test("a torn last line is still cut before open returns")
    func tornTailBeforeOpenReturns() async throws {
        let disk = try await makeDisk(count: 3)
        let clean = try #require(disk.contents(of: Self.path))
        try disk.setContents(of: Self.path, to: clean + Array("{\"op\":\"task\",\"id\":\"t_x\",\"ti".utf8))
        let store = try await openSimulated(disk, options: deferred)
        #expect(await store.isLoading == false, "a file that needs recovery is loaded before open returns")
        #expect(disk.contents(of: Self.path) == clean)
        #expect(try await store.tasks(for: alice, filter: .all).count == 3)
        await store.close()
    }

    @Test("a corrupt middle line fail-stops the store when the deferred load reaches it, naming file and line")
    func corruptMiddleFailStops() async throws {
        let disk = try await makeDisk(count: 5)
        var bytes = try #require(disk.contents(of: Self.path))
        let thirdLineStart = bytes.indices.filter { bytes[$0] == 0x0A }[2] + 1
        bytes[thirdLineStart + 3] = UInt8(ascii: "#")
        try disk.setContents(of: Self.path, to: bytes)
        let store = try await openSimulated(disk, options: deferred)
        let fired = Mutex<StoreError?>(nil)
        store.onFatalFailure { error in fired.withLock { $0 = error } }
        do {
            _ = try await store.tasks(for: alice, filter: .all)
            Issue.record("a request must not see a store whose load failed")
        } catch let error as StoreError {
            #expect(error.code == .stopped)
            #expect("\(error)".contains(Self.path) && "\(error)".contains("line 4"))
        }
        let handed = try #require(fired.withLock { $0 })
        #expect("\(handed)".contains("line 4"))
        await #expect(throws: StoreError.self) { try await store.addTask(TaskDraft(title: "x"), for: alice, requestID: nil) }
        await store.close()
        #expect(disk.contents(of: Self.path) == bytes, "a failed load must not change the file")
    }

    @Test("the edge check accepts only files that ended with a whole record after a supported header")
    func edgeTable() {
        let header = "{\"format\":\"todod.tasks\",\"v\":2}\n"
        let record = "{\"op\":\"task_deleted\",\"id\":\"t_abcdefghij\"}\n"
        func clean(_ text: String, kind: FileKind = .tasks, tail: Int = 65_536) -> Bool {
            let bytes = Array(text.utf8)
            return Recovery.edgesAreClean(FileEdges(size: bytes.count, head: Array(bytes.prefix(4096)), tail: Array(bytes.suffix(tail))), kind: kind)
        }
        #expect(clean(header))
        #expect(clean(header + record + record))
        #expect(!clean(""), "an empty file lost its header")
        #expect(!clean(header + record + "{\"op\":\"ta"), "torn tail")
        #expect(!clean(header + record + "{\"op\":\"task_deleted\"}\n"), "an invalid last record")
        #expect(!clean(header + header), "a header as the last line")
        #expect(!clean(header + record, kind: .threads), "the header of another kind")
        #expect(!clean("{\"format\":\"todod.tasks\",\"v\":\(storeFormatVersion + 1)}\n" + record), "a newer format")
        #expect(!clean(header + String(repeating: record, count: 3), tail: 20), "a last line longer than the tail read")
    }
}
