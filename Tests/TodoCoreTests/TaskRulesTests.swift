import Foundation
import Testing
import TodoCore

@Suite struct TaskRulesTests {
    @Test func titleIsTrimmedAndRequired() throws {
        #expect(try TaskRules.title("  Buy milk \n") == "Buy milk")
        let error = #expect(throws: TodoError.self) { try TaskRules.title("   ") }
        #expect(error?.field == "title")
        #expect(error?.code == .validation)
    }

    @Test(arguments: [200, 201])
    func titleLengthLimit(length: Int) throws {
        let title = String(repeating: "é", count: length)
        if length <= TaskRules.maxTitle {
            #expect(try TaskRules.title(title).count == length)
        } else {
            let error = #expect(throws: TodoError.self) { try TaskRules.title(title) }
            #expect(error?.field == "title")
        }
    }

    @Test func descriptionLimitAndEmptyBecomesNil() throws {
        #expect(try TaskRules.description("   ") == nil)
        #expect(try TaskRules.description(nil) == nil)
        #expect(try TaskRules.description(String(repeating: "a", count: 1000))?.count == 1000)
        let error = #expect(throws: TodoError.self) { try TaskRules.description(String(repeating: "a", count: 1001)) }
        #expect(error?.field == "description")
    }

    @Test func patchValidatesOnlyTheFieldsItSets() throws {
        let created = Timestamp(millisecondsSinceEpoch: 1_000)
        let task = TaskItem(id: try TaskID("t_a"), title: "A", description: "d", completed: false, createdAt: created, updatedAt: created)
        let later = Timestamp(millisecondsSinceEpoch: 2_000)
        let done = try TaskPatch(completed: true).applied(to: task, at: later)
        #expect(done.completed && done.title == "A" && done.description == "d" && done.updatedAt == later && done.createdAt == created)
        let cleared = try TaskPatch(description: "").applied(to: task, at: later)
        #expect(cleared.description == nil)
        let error = #expect(throws: TodoError.self) { try TaskPatch(title: "").applied(to: task, at: later) }
        #expect(error?.field == "title")
    }

    @Test func filterParsingNamesTheField() throws {
        #expect(try TaskFilter(parsing: nil) == .all)
        #expect(try TaskFilter(parsing: "pending") == .pending)
        let error = #expect(throws: TodoError.self) { try TaskFilter(parsing: "done") }
        #expect(error?.field == "status")
    }
}

@Suite struct IdentifierTests {
    @Test(arguments: ["alice", "bob.smith", "u_1@example.com", "A-b"])
    func validUserIDs(raw: String) throws {
        #expect(try UserID(raw).rawValue == raw)
    }

    @Test(arguments: ["", ".", "..", "../etc", "a/b", "-rf", "a b", "ü", String(repeating: "a", count: 129)])
    func unsafeUserIDsAreRejected(raw: String) {
        #expect(throws: TodoError.self) { try UserID(raw) }
    }

    @Test(arguments: ["..", "a/b", "", "a.b", String(repeating: "x", count: 65), "t_\u{0}"])
    func unsafeTaskIDsAreRejected(raw: String) {
        #expect(throws: TodoError.self) { try TaskID(raw) }
    }

    @Test func randomTaskIDsAreSafeAndDistinct() {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = TaskID.random()
            #expect(isSafeID(id.rawValue) && id.rawValue.hasPrefix("t_"))
            seen.insert(id.rawValue)
        }
        #expect(seen.count == 1000)
    }
}

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_767_225_600_123).rfc3339 == "2026-01-01T00:00:00.123Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesOffsetsAndFractions() {
        #expect(Timestamp(rfc3339: "2026-01-01T01:00:00+01:00")?.millisecondsSinceEpoch == 1_767_225_600_000)
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00.5Z")?.millisecondsSinceEpoch == 1_767_225_600_500)
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00.123456Z")?.millisecondsSinceEpoch == 1_767_225_600_123)
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00.0000Z")?.millisecondsSinceEpoch == 1_767_225_600_000)
        #expect(Timestamp(rfc3339: "2026-13-01T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01 00:00:00") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00.Z") == nil)
    }

    @Test func roundTripsThroughFormatting() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ms = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &rng)
            let t = Timestamp(millisecondsSinceEpoch: ms)
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
        }
    }

    @Test func taskEncodesSnakeCaseAndOmitsNilDescription() throws {
        let t = Timestamp(millisecondsSinceEpoch: 0)
        let task = TaskItem(id: try TaskID("t_x"), title: "T", description: nil, completed: false, createdAt: t, updatedAt: t)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(task), as: UTF8.self)
        #expect(json == #"{"completed":false,"created_at":"1970-01-01T00:00:00.000Z","id":"t_x","title":"T","updated_at":"1970-01-01T00:00:00.000Z"}"#)
        #expect(try JSONDecoder().decode(TaskItem.self, from: Data(json.utf8)) == task)
    }
}
