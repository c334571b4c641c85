import Foundation
import Logging
import Testing
import TodoCore
@testable import TodoStore

// MARK: - Torn tails, corruption, repair

@Suite("Store recovery", .timeLimit(.minutes(5)))
struct RecoveryTests {
    let alice = user("alice")
    static let path = "/data/users/alice/tasks.jsonl"

    /// A tasks file with `count` complete records, written through the store.
    func makeFile(count: Int) async throws -> [UInt8] {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk)
        for i in 0..<count { _ = try await store.addTask(TaskDraft(title: "task \(i) é \"quoted\""), for: alice, requestID: "r\(i)") }
        await store.close()
        return disk.contents(of: Self.path)!
    }

    @Test("10,000 random cuts keep exactly the complete lines and truncate the rest")
    func randomCuts() async throws {
        let bytes = try await makeFile(count: 20)
        let lineEnds = bytes.indices.filter { bytes[$0] == 0x0A }
        var rng = SeededRandom(state: 7)
        for round in 0..<10_000 {
            // Seconds of CPU in a debug build: give the cooperative pool back now and then, so the rest of the
            // parallel suite (two threads on two cores) is not starved while this runs.
            if round % 250 == 0 { await Task.yield() }
            let cut = Int.random(in: 0...bytes.count, using: &rng)
            let prefix = Array(bytes[0..<cut])
            var kept = 0
            let result = prefix.withUnsafeBufferPointer { LineScanner.scan($0, kind: .tasks) { _ in kept += 1 } }
            let complete = lineEnds.filter { $0 < cut }.count
            let expectedRecords = max(0, complete - 1)
            #expect(kept == expectedRecords)
            let validEnd = complete == 0 ? 0 : lineEnds[complete - 1] + 1
            if cut == validEnd {
                #expect(result.outcome == .clean)
            } else {
                #expect(result.outcome == .tornTail(offset: validEnd, line: complete + 1))
            }
        }
    }

    @Test("a torn last line is cut off on open, logged as a warning, and everything before it loads")
    func tornTailOnOpen() async throws {
        let bytes = try await makeFile(count: 5)
        let disk = SimulatedDisk()
        try makeUserDirectory(disk)
        try disk.setContents(of: Self.path, to: bytes + Array("{\"op\":\"task\",\"id\":\"t_x\",\"ti".utf8))
        let logs = CapturedLogs()
        let store = try await openSimulated(disk, logger: logs.logger)
        #expect(try await store.tasks(for: alice, filter: .all).count == 5)
        #expect(logs.contains(.warning, "torn"))
        #expect(disk.contents(of: Self.path) == bytes)
        _ = try await store.addTask(TaskDraft(title: "after the cut"), for: alice, requestID: nil)
        await store.close()
        disk.crash()
        let again = try await openSimulated(disk)
        #expect(try await again.tasks(for: alice, filter: .all).count == 6)
    }

    @Test("a corrupt middle line refuses to open and names the file and line; repair quarantines it")
    func corruptMiddle() async throws {
        var bytes = try await makeFile(count: 5)
        let thirdLineStart = bytes.indices.filter { bytes[$0] == 0x0A }[2] + 1
        bytes[thirdLineStart + 3] = UInt8(ascii: "#")
        let disk = SimulatedDisk()
        try makeUserDirectory(disk)
        try disk.setContents(of: Self.path, to: bytes)
        do {
            _ = try await openSimulated(disk)
            Issue.record("open should refuse a corrupt file")
        } catch let error as StoreError {
            #expect(error.code == .corruptRecord)
            #expect(error.path == Self.path && error.line == 4)
            #expect("\(error)".contains(Self.path) && "\(error)".contains("line 4"))
        }
        #expect(disk.contents(of: Self.path) == bytes, "a refused open must not change the file")
        let logs = CapturedLogs()
        let store = try await openSimulated(disk, options: StoreOptions(repair: true), logger: logs.logger)
        // Lines: header, then a task line and its undo entry per add; line 4 (the second task) is corrupt.
        #expect(try await store.tasks(for: alice, filter: .all).count == 1)
        let names = try disk.list("/data/users/alice")
        let aside = try #require(names.first { $0.hasPrefix("tasks.jsonl.corrupt-") })
        #expect(disk.contents(of: "/data/users/alice/" + aside) == bytes)
        #expect(logs.contains(.error, "corrupt"))
        await store.close()
        disk.crash()
        #expect(try await openSimulated(disk).tasks(for: alice, filter: .all).count == 1)
    }

    @Test("a newer format version is refused with a clear error")
    func newerVersion() async throws {
        let disk = SimulatedDisk()
        try makeUserDirectory(disk)
        try disk.setContents(of: Self.path, to: Array("{\"format\":\"todod.tasks\",\"v\":\(storeFormatVersion + 1)}\n".utf8))
        await #expect(throws: StoreError.self) { try await openSimulated(disk) }
    }

    @Test("auto-compaction rewrites a file whose dead lines outnumber live ones")
    func autoCompaction() async throws {
        let disk = SimulatedDisk()
        let store = try await openSimulated(disk, options: StoreOptions(autoCompactMinimumLines: 50))
        let t = try await store.addTask(TaskDraft(title: "busy"), for: alice, requestID: nil)
        for i in 0..<200 { _ = try await store.updateTask(t.id, TaskPatch(title: "busy \(i)"), for: alice) }
        await store.close()
        let lines = disk.contents(of: Self.path)!.filter { $0 == 0x0A }.count
        // 401 lines without compaction; compaction keeps the task and its 100 undo entries, and runs again
        // once dead lines outnumber those 101 live ones.
        #expect(lines <= 2 * (1 + 100) + 2, "file has \(lines) lines")
        disk.crash()
        #expect(try await openSimulated(disk).task(t.id, for: alice).title == "busy 199")
    }
}

/// Creates `/data/users/alice` durably on a simulated disk.
func makeUserDirectory(_ disk: SimulatedDisk) throws {
    for dir in ["/data", "/data/users", "/data/users/alice"] {
        try disk.createDirectory(dir)
        try disk.fsyncDirectory(parentDirectory(dir))
    }
}
