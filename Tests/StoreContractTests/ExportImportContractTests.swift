import Foundation
import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - Export, import and statistics

@Suite("Store contract: export, import, stats", .timeLimit(.minutes(3)))
struct ExportImportContractTests {
    static let alice = user("alice")
    static let bob = user("bob")
    static let clockStart = Timestamp(rfc3339: "2026-11-30T10:00:00Z")!

    /// Fills a store with tasks using every field, a deleted task, threads with items, for two users.
    static func populate(_ store: any DataStore, clock: ManualWallClock) async throws {
        let berlin9 = TaskDue.dateTime(LocalDate(year: 2026, month: 12, day: 3)!, secondOfDay: 9 * 3600, offsetSeconds: 3600)
        let rent = try await store.addTask(TaskDraft(title: "Pay rent", description: "landlord", due: .date(LocalDate(year: 2026, month: 12, day: 1)!),
                                                     priority: 1, labels: ["bills", "home"], project: "Flat",
                                                     recurrence: Recurrence(.monthly, monthDay: 1)), for: alice, requestID: "r-rent")
        clock.advance(milliseconds: 1)
        _ = try await store.addTask(TaskDraft(title: "Standup", due: berlin9, timeZone: "Europe/Berlin", labels: ["work"]), for: alice, requestID: nil)
        let gone = try await store.addTask(TaskDraft(title: "Deleted"), for: alice, requestID: nil)
        clock.advance(milliseconds: 1)
        let done = try await store.addTask(TaskDraft(title: "Done already", priority: 4), for: alice, requestID: nil)
        _ = try await store.setCompleted(done.id, for: alice)
        _ = try await store.updateTask(rent.id, TaskPatch(completed: true), for: alice, requestID: "r-done")
        _ = try await store.deleteTask(gone.id, for: alice)
        _ = try await store.addTask(TaskDraft(title: "Bob's only"), for: bob, requestID: nil)
        let t0 = Timestamp(millisecondsSinceEpoch: clockStart.millisecondsSinceEpoch - 1000)
        try await store.saveThread(StoredThread(id: "thr_1", createdAt: t0, payload: #"{"title":"Chat","status":{"type":"active"}}"#), for: alice)
        try await store.saveThread(StoredThread(id: "thr_2", createdAt: clockStart, payload: #"{"title":"Second"}"#), for: alice)
        for i in 0..<4 {
            let payload = #"{"type":"message","content":[{"type":"text","text":"m\#(i) ünïcode \" \\ 🚀"}],"n":\#(i)}"#
            try await store.saveItem(StoredItem(id: "it_\(i)", threadID: "thr_1", createdAt: t0, payload: payload), for: alice)
        }
        try await store.saveItem(StoredItem(id: "it_x", threadID: "thr_2", createdAt: clockStart, payload: "{}"), for: alice)
    }

    /// The document as `todoctl export` writes it and `todoctl import` reads it.
    static func viaJSON(_ document: ExportDocument) throws -> ExportDocument {
        try JSONDecoder().decode(ExportDocument.self, from: try JSONEncoder().encode(document))
    }

    @Test("stats count users, tasks, threads and items; export(only:) is one user's", arguments: StoreKind.available)
    func statsAndExportOne(kind: StoreKind) async throws {
        let clock = ManualWallClock(start: Self.clockStart)
        try await withStore(kind, clock: clock) { store in
            try await Self.populate(store, clock: clock)
            let stats = try await store.stats()
            #expect(stats.users == 2 && stats.tasks == 4 && stats.threads == 2 && stats.items == 5, "\(kind): \(stats)")
            let one = try await store.exportAll(only: Self.bob)
            #expect(one.users.map(\.user) == [Self.bob] && one.users.first?.tasks.map(\.title) == ["Bob's only"])
            let all = try await store.exportAll(only: nil)
            #expect(all.users.map(\.user) == [Self.alice, Self.bob])
            #expect(all.users.first?.tasks.map(\.title) == ["Pay rent", "Standup", "Done already"])
        }
    }

    @Test("export, then import into a fresh store of each kind, is lossless; a second import skips everything",
          arguments: StoreKind.availablePairs)
    func roundTrip(source: StoreKind, target: StoreKind) async throws {
        let clock = ManualWallClock(start: Self.clockStart)
        let (document, listed) = try await withStore(source, clock: clock) { store in
            try await Self.populate(store, clock: clock)
            let doc = try Self.viaJSON(try await store.exportAll(only: nil))
            return (doc, try await store.tasks(for: Self.alice, filter: .all))
        }
        #expect(document.users.map { $0.tasks.count } == [3, 1])
        try await withStore(target, clock: ManualWallClock(start: Self.clockStart)) { store in
            let report = try await store.importAll(document)
            #expect(report.tasksAdded == 4 && report.threadsAdded == 2 && report.itemsAdded == 5, "\(source)→\(target): \(report)")
            let back = try Self.viaJSON(try await store.exportAll(only: nil))
            #expect(back.users.map(\.user) == document.users.map(\.user))
            for (mine, theirs) in zip(back.users, document.users) {
                #expect(mine.tasks == theirs.tasks, "\(source)→\(target) tasks of \(mine.user)")
                Self.expectSameThreads(mine.threads, theirs.threads, "\(source)→\(target) \(mine.user)")
            }
            var plain = listed
            for i in plain.indices { plain[i].completionRequestID = nil }
            let imported = try await store.tasks(for: Self.alice, filter: .all).map { var t = $0; t.completionRequestID = nil; return t }
            #expect(imported == plain, "\(source)→\(target): the listing after import equals the source's")
            let again = try await store.importAll(document)
            #expect(again.tasksAdded == 0 && again.tasksSkipped == 4 && again.threadsSkipped == 2 && again.itemsSkipped == 5,
                    "\(source)→\(target) re-import: \(again)")
            let stats = try await store.stats()
            #expect(stats.users == 2 && stats.tasks == 4 && stats.threads == 2 && stats.items == 5)
        }
    }

    /// Threads and items equal field by field, payloads as parsed JSON.
    static func expectSameThreads(_ a: [ExportedThread], _ b: [ExportedThread], _ what: String) {
        #expect(a.map(\.thread.id) == b.map(\.thread.id), "\(what): thread ids")
        for (x, y) in zip(a, b) {
            #expect(x.thread.createdAt == y.thread.createdAt && sameJSON(x.thread.payload, y.thread.payload),
                    "\(what) \(x.thread.id): \(x.thread.payload) vs \(y.thread.payload)")
            #expect(x.items.map(\.id) == y.items.map(\.id), "\(what) \(x.thread.id): item ids")
            for (i, j) in zip(x.items, y.items) {
                #expect(i.threadID == j.threadID && i.createdAt == j.createdAt && sameJSON(i.payload, j.payload),
                        "\(what) \(i.id): \(i.payload) vs \(j.payload)")
            }
        }
    }
}
