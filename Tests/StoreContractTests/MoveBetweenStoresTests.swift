import Foundation
import Logging
import Testing
import TodoCore
import TodoPostgres
import TodoStore
import TodoTesting

// MARK: - Moving a user's data between the file store and PostgreSQL

@Suite("Export from one store, import into the other")
struct MoveBetweenStoresTests {
    static let logger = Logger(label: "test.move")

    /// Tasks (with labels, dues, recurrence), an undo history of three changes and a thread with items.
    static func seed(_ store: any DataStore, _ user: UserID) async throws {
        let a = try await store.addTask(TaskDraft(title: "Pay rent", due: .date(LocalDate(year: 2026, month: 12, day: 1)!),
                                                  labels: ["home"], recurrence: Recurrence(.monthly)), for: user, requestID: "r1")
        let b = try await store.addTask(TaskDraft(title: "Call mum", priority: 2, project: "family"), for: user, requestID: nil)
        _ = try await store.updateTask(a.id, TaskPatch(title: "Pay the rent"), for: user)
        _ = try await store.deleteTask(b.id, for: user)
        try await store.saveThread(StoredThread(id: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 5), payload: #"{"title":"Plans","status":{"type":"active"}}"#), for: user)
        for i in 0..<3 {
            try await store.saveItem(StoredItem(id: "msg_\(i)", threadID: "thr_1", createdAt: Timestamp(millisecondsSinceEpoch: 6 + Int64(i)),
                                                payload: #"{"type":"user_message","n":\#(i)}"#), for: user)
        }
    }

    @Test("file → PostgreSQL → file keeps tasks, threads, items and the undo history", .enabled(if: PostgresFixture.isConfigured),
          .timeLimit(.minutes(2)))
    func roundTrip() async throws {
        let user = try UserID("alice")
        let dir = try TemporaryDirectory(prefix: "todod-move-")
        defer { dir.remove() }
        let file = try await Store.open(directory: dir.appending("a"), clock: ManualWallClock(), logger: Self.logger)
        try await Self.seed(file, user)
        let exported = try await file.exportAll(only: nil)
        #expect(exported.users.first?.undo.map(\.action) == [.created, .created, .updated, .deleted])

        let pg = try await PostgresStore.open(configuration: try await PostgresFixture.freshDatabase(), logger: Self.logger)
        let report = try await pg.importAll(exported)
        #expect(report.tasksAdded == 1 && report.threadsAdded == 1 && report.itemsAdded == 3 && report.undoAdded == 4)
        let fromPG = try await pg.exportAll(only: nil)
        #expect(fromPG.users.map(\.tasks) == exported.users.map(\.tasks))
        #expect(fromPG.users.map(\.undo) == exported.users.map(\.undo))
        let items = try await pg.items(threadID: "thr_1", for: user, page: PageRequest(limit: 10, order: .asc)).data
        #expect(items.map(\.id) == ["msg_0", "msg_1", "msg_2"])
        #expect(zip(items, exported.users[0].threads[0].items).allSatisfy { sameJSON($0.payload, $1.payload) })
        // Undo on PostgreSQL walks the imported history exactly as the file store would.
        let fileUndo = try await file.undo(for: user)
        let pgUndo = try await pg.undo(for: user)
        #expect(pgUndo.undone == fileUndo.undone && pgUndo.task.title == fileUndo.task.title && pgUndo.remaining == fileUndo.remaining)
        // And back: a second file store gets what PostgreSQL holds now.
        let back = try await Store.open(directory: dir.appending("b"), clock: ManualWallClock(), logger: Self.logger)
        let backReport = try await back.importAll(try await pg.exportAll(only: nil))
        #expect(backReport.undoAdded == 3)
        #expect(try await back.tasks(for: user, filter: .all).map(\.title) == (try await pg.tasks(for: user, filter: .all)).map(\.title))
        #expect(try await back.undo(for: user).undone == (try await pg.undo(for: user)).undone)
        await back.close()
        await pg.close()
        await file.close()
    }
}
