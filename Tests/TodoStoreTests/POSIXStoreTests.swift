import Foundation
import Testing
import TodoCore
@testable import TodoStore

// MARK: - The real disk: permissions, lock, backup, export/import

@Suite("Store on the real disk")
struct POSIXStoreTests {
    let alice = user("alice")

    func mode(_ path: String) -> Int {
        var st = stat()
        #expect(stat(path, &st) == 0)
        return Int(st.st_mode & 0o777)
    }

    @Test("data directory 0700, files 0600, even under a permissive umask")
    func permissions() async throws {
        let dir = tempPath("perm")
        let old = umask(0)
        defer { umask(old) }
        let store = try await Store.open(directory: dir, logger: quietLogger)
        _ = try await store.addTask(TaskDraft(title: "private"), for: alice, requestID: nil)
        try await store.saveThread(StoredThread(id: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 0), payload: "{}"), for: alice)
        await store.close()
        #expect(mode(dir) == 0o700)
        #expect(mode(dir + "/users") == 0o700)
        #expect(mode(dir + "/users/alice") == 0o700)
        #expect(mode(dir + "/users/alice/tasks.jsonl") == 0o600)
        #expect(mode(dir + "/users/alice/threads.jsonl") == 0o600)
        #expect(mode(dir + "/todod.lock") == 0o600)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("a second opener is refused with the pid of the first; after close it can open")
    func lock() async throws {
        let dir = tempPath("lock")
        let first = try await Store.open(directory: dir, logger: quietLogger)
        do {
            _ = try await Store.open(directory: dir, logger: quietLogger)
            Issue.record("second open should fail")
        } catch let error as StoreError {
            #expect(error.code == .locked)
            #expect("\(error)".contains("another todod (pid \(getpid()))") && "\(error)".contains(dir))
        }
        await first.close()
        let second = try await Store.open(directory: dir, logger: quietLogger)
        await second.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("backup is a data directory with the same content; export/import round-trips with conflict rules")
    func backupExportImport() async throws {
        let dir = tempPath("bk")
        let store = try await Store.open(directory: dir, logger: quietLogger)
        let a = try await store.addTask(TaskDraft(title: "one", description: "d"), for: alice, requestID: "r1")
        let b = try await store.addTask(TaskDraft(title: "two"), for: user("bob"), requestID: nil)
        try await store.saveThread(StoredThread(id: "thr_1", createdAt: a.createdAt, payload: "{\"t\":1}"), for: alice)
        try await store.saveItem(StoredItem(id: "it_1", threadID: "thr_1", createdAt: a.createdAt, payload: "{\"m\":\"hi\\n\"}"), for: alice)
        let backupDir = dir + "-backup"
        let report = try await store.backup(to: backupDir)
        #expect(report.users == 2 && report.files == 3)
        await #expect(throws: StoreError.self) { try await store.backup(to: backupDir) }
        let export = try await store.exportAll()
        await store.close()

        let copy = try await Store.open(directory: backupDir, logger: quietLogger)
        #expect(try await copy.exportAll().users == export.users)
        #expect(try await copy.addTask(TaskDraft(title: "one"), for: alice, requestID: "r1") == a)
        await copy.close()

        let json = try JSONEncoder().encode(export)
        let decoded = try JSONDecoder().decode(ExportDocument.self, from: json)
        #expect(decoded == export)
        let target = try await Store.open(directory: dir + "-import", logger: quietLogger)
        let first = try await target.importAll(decoded)
        #expect(first.tasksAdded == 2 && first.threadsAdded == 1 && first.itemsAdded == 1)
        let second = try await target.importAll(decoded)
        #expect(second.tasksAdded == 0 && second.tasksSkipped == 2 && second.threadsSkipped == 1 && second.itemsSkipped == 1)
        var newer = decoded
        newer.users[0].tasks[0].title = "one (newer)"
        newer.users[0].tasks[0].updatedAt.millisecondsSinceEpoch += 1000
        #expect(try await target.importAll(newer).tasksUpdated == 1)
        #expect(try await target.task(a.id, for: alice).title == "one (newer)")
        #expect(try await target.task(b.id, for: user("bob")).title == "two")
        var bad = decoded
        bad.users[0].tasks[0].title = "  "
        do {
            _ = try await target.importAll(bad)
            Issue.record("import of a blank title should fail")
        } catch let error as TodoError {
            #expect(error.field == "users[0].tasks[0].title")
        }
        await target.close()
        for d in [dir, backupDir, dir + "-import"] { try? FileManager.default.removeItem(atPath: d) }
    }
}
