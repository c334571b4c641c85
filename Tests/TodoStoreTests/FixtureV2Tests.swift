import Foundation
import Testing
import TodoCore
@testable import TodoStore

// MARK: - data/example-v2 and the upgrade of version 1 files

@Suite("Data format version 2")
struct FixtureV2Tests {
    static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data").path

    private func copy(_ example: String) throws -> String {
        let dir = tempPath("fixture-v2")
        try FileManager.default.copyItem(atPath: Self.dataDirectory + "/" + example, toPath: dir)
        return dir
    }

    @Test("data/example-v2 loads every version 2 field and its undo history")
    func exampleV2() async throws {
        let dir = try copy("example-v2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try await Store.open(directory: dir, logger: quietLogger)
        let alice = user("alice")
        let tasks = try await store.tasks(for: alice, filter: .all)
        #expect(tasks.map(\.id.rawValue) == ["t_rent000001", "t_dentist001", "t_standup001", "t_library001"])
        let rent = tasks[0]
        #expect(rent.due == .date(LocalDate(year: 2026, month: 12, day: 1)!) && rent.priority == 1 && rent.labels == ["bills"])
        #expect(rent.project == "Home" && rent.recurrence == Recurrence(.monthly, monthDay: 1) && rent.timeZone == "Europe/Berlin")
        let dentist = tasks[1]
        #expect(dentist.due?.iso == "2026-12-03T17:00:00+01:00" && dentist.labels == ["health", "town"])
        #expect(dentist.due?.instant == Timestamp(rfc3339: "2026-12-03T16:00:00Z"))
        let standup = tasks[2]
        #expect(standup.recurrence?.weekdays.count == 5 && standup.completedAt == Timestamp(rfc3339: "2026-11-23T09:30:00Z"))
        #expect(standup.completionRequestID == "ui-done-77" && !standup.completed)
        #expect(tasks[3].completed && tasks[3].completedAt == Timestamp(rfc3339: "2026-11-25T16:00:00Z"))
        // A retried completion with the recorded request id changes nothing.
        #expect(try await store.updateTask(standup.id, TaskPatch(completed: true), for: alice, requestID: "ui-done-77") == standup)
        // The undo history survived: the newest entry brings the deleted note back.
        #expect(await store.undoDepth(for: alice) == 4)
        let undone = try await store.undo(for: alice)
        #expect(undone.undone == .deleted && undone.task.title == "Scratch note" && undone.remaining == 3)
        #expect(try await store.tasks(for: alice, filter: .all).count == 5)
        await store.close()
    }

    @Test("every example-v2 line is in canonical form")
    func canonical() throws {
        let text = try String(contentsOfFile: Self.dataDirectory + "/example-v2/users/alice/tasks.jsonl", encoding: .utf8)
        for line in text.split(separator: "\n") {
            let record = try RecordCodec.decode(Array(line.utf8))
            #expect(RecordCodec.encode(record) == Array(line.utf8) + [0x0A], "\(line)")
        }
    }

    @Test("a version 1 file keeps its lines and gets a version 2 header before its first new line")
    func upgradesVersion1() async throws {
        let dir = try copy("example-v1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/users/alice/tasks.jsonl"
        let before = try String(contentsOfFile: path, encoding: .utf8)
        #expect(before.hasPrefix("{\"format\":\"todod.tasks\",\"v\":1}\n"))
        var store = try await Store.open(directory: dir, logger: quietLogger)
        let alice = user("alice")
        let old = try await store.tasks(for: alice, filter: .all)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before, "reading must not change a version 1 file")
        let added = try await store.addTask(TaskDraft(title: "Dentist", due: try TaskDue(iso: "2026-12-03"), priority: 2, labels: ["Health"]),
                                            for: alice, requestID: nil)
        await store.close()
        let after = try String(contentsOfFile: path, encoding: .utf8)
        #expect(after.hasPrefix("{\"format\":\"todod.tasks\",\"v\":2}\n"))
        store = try await Store.open(directory: dir, logger: quietLogger)
        #expect(try await store.tasks(for: alice, filter: .all) == old + [added])
        #expect(added.labels == ["health"])
        await store.close()
    }
}
