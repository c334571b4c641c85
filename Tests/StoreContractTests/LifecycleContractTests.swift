import Foundation
import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Durability across reopen, lifecycle, maintenance

@Suite("Store contract: reopen, close, maintenance", .timeLimit(.minutes(2)))
struct LifecycleContractTests {
    let alice = user("alice")

    @Test("tasks, request ids, undo history, threads and items survive closing and reopening", arguments: StoreKind.available)
    func reopen(kind: StoreKind) async throws {
        let opened = try await ContractStore.open(kind)
        let first = opened.store
        let t = try await first.addTask(TaskDraft(title: "v0", labels: ["keep"]), for: alice, requestID: "r-1")
        _ = try await first.updateTask(t.id, TaskPatch(title: "v1"), for: alice)
        try await first.saveThread(StoredThread(id: "thr_k", createdAt: t.createdAt, payload: #"{"title":"kept"}"#), for: alice)
        try await first.saveItem(StoredItem(id: "it_k", threadID: "thr_k", createdAt: t.createdAt, payload: #"{"a":[1,{"b":null}]}"#), for: alice)
        await first.close()

        let second = try await opened.reopen()
        do {
            #expect(try await second.tasks(for: alice, filter: .all).map(\.title) == ["v1"])
            #expect(try await second.addTask(TaskDraft(title: "v0"), for: alice, requestID: "r-1").id == t.id)
            #expect(try await second.tasks(for: alice, filter: .all).count == 1)
            let undone = try await second.undo(for: alice)
            #expect(undone.undone == .updated && undone.task.title == "v0" && undone.remaining == 1)
            #expect(sameJSON(try await second.item("it_k", threadID: "thr_k", for: alice).payload, #"{"a":[1,{"b":null}]}"#))
            #expect(sameJSON(try await second.thread("thr_k", for: alice).payload, #"{"title":"kept"}"#))
        } catch {
            Issue.record("\(kind) after reopen: \(error)")
        }
        await second.close()
        await opened.cleanup()
    }

    @Test("close ends change streams; a serving store reports no failure", arguments: StoreKind.available)
    func closeEndsStreams(kind: StoreKind) async throws {
        let opened = try await ContractStore.open(kind)
        #expect(await opened.store.failure == nil)
        let feed = ChangeCollector(opened.store.changes(for: nil))
        _ = try await opened.store.addTask(TaskDraft(title: "seen"), for: alice, requestID: nil)
        #expect(await feed.wait(for: 1))
        await opened.store.close()
        #expect(await waitUntil(timeout: .seconds(10)) { feed.ended }, "\(kind): the stream did not end on close")
        feed.stop()
        await opened.cleanup()
    }

    @Test("location names the data without a password; compact and backup work on files and are refused on PostgreSQL",
          arguments: StoreKind.available)
    func maintenance(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTask(TaskDraft(title: "x"), for: alice, requestID: nil)
            #expect(!store.location.isEmpty)
            if let url = PostgresTestDatabase.url, let password = URLComponents(string: url)?.password, !password.isEmpty {
                #expect(!store.location.contains(password), "\(kind): location shows the password")
            }
            let backupDir = try TemporaryDirectory(prefix: "todod-contract-bk-")
            defer { backupDir.remove() }
            switch kind {
            case .file:
                _ = try await store.compact()
                let report = try await store.backup(to: backupDir.appending("copy"))
                #expect(report.users == 1)
            case .postgres:
                #expect(await todoError { try await store.compact() }?.code == .conflict)
                #expect(await todoError { try await store.backup(to: backupDir.appending("copy")) }?.code == .conflict)
            }
            #expect(try await store.tasks(for: alice, filter: .all).map(\.title) == ["x"])
        }
    }
}
