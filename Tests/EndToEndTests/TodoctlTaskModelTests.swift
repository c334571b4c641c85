import Foundation
import Testing
import TodoCore
import TodoTesting

// MARK: - todoctl and task model v2 against a real todod

@Suite("todoctl: quick add, filters, edit --clear, undo", .serialized, .timeLimit(.minutes(3)))
struct TodoctlTaskModelTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    func titles(_ result: ProcessResult) throws -> [String] {
        try #require(try json(result.stdout)["tasks"] as? [[String: Any]]).compactMap { $0["title"] as? String }
    }

    @Test func quickAddFiltersEditAndUndo() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-v2-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment
        func ctl(_ args: [String]) async throws -> ProcessResult { try await runTodoctl(args, environment: env) }

        let rent = try await ctl(["add", "Pay rent every month on the 1st p1 @bills #home"])
        #expect(rent.status == 0, "\(rent.stderr)")
        #expect(rent.stdout.contains(": Pay rent"))
        #expect(rent.stdout.contains("repeats:    every month on the 1st"))
        #expect(rent.stdout.contains("priority:   p1"))
        #expect(rent.stdout.contains("labels:     @bills"))
        #expect(rent.stdout.contains("project:    #home"))
        #expect(rent.stdout.contains("due:"))

        let dentist = try json(try await ctl(["add", "Dentist", "--due", "tomorrow", "--priority", "p2", "--label", "Health", "--label", "errands",
                                              "--project", "me", "--json"]).stdout)
        let dentistID = try #require(dentist["id"] as? String)
        #expect(dentist["priority"] as? Int == 2)
        #expect(Set(dentist["labels"] as? [String] ?? []) == ["health", "errands"])
        #expect(dentist["project"] as? String == "me")
        let plants = try await ctl(["add", "Water plants today", "--json"])
        #expect(try json(plants.stdout)["title"] as? String == "Water plants")
        let literal = try json(try await ctl(["add", "Read about friday p3", "--literal", "--json"]).stdout)
        #expect(literal["title"] as? String == "Read about friday p3")
        #expect(literal["due"] == nil)

        // Filters and views.
        #expect(try titles(try await ctl(["list", "--label", "health", "--json"])) == ["Dentist"])
        #expect(try titles(try await ctl(["list", "--priority", "1", "--json"])) == ["Pay rent"])
        #expect(try titles(try await ctl(["list", "--sort", "priority", "--limit", "2", "--json"])) == ["Pay rent", "Dentist"])
        #expect(try titles(try await ctl(["list", "--due", "none", "--json"])) == ["Read about friday p3"])
        #expect(try titles(try await ctl(["list", "--search", "PLANTS", "--json"])) == ["Water plants"])
        let today = try titles(try await ctl(["today", "--json"]))
        #expect(today.contains("Water plants") && !today.contains("Dentist"))
        let upcoming = try titles(try await ctl(["upcoming", "--json"]))
        #expect(upcoming.contains("Dentist") && !upcoming.contains("Water plants"))
        let table = try await ctl(["list"])
        #expect(table.stdout.contains("DUE"))
        #expect(table.stdout.contains("Pay rent ↻ @bills #home"))
        #expect(table.stdout.contains("tomorrow"))
        #expect(table.stdout.contains("p2"))

        // Edit: set and clear.
        let edited = try json(try await ctl(["edit", dentistID, "--clear", "priority", "--clear", "labels", "--title", "Dentist visit", "--json"]).stdout)
        #expect(edited["title"] as? String == "Dentist visit")
        #expect(edited["priority"] == nil)
        #expect(edited["labels"] == nil)
        #expect(edited["due"] != nil)
        let moved = try await ctl(["edit", dentistID, "--due", "2031-01-02", "--every", "every year", "--label", "x"])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("repeats:    every year"))

        // Undo the last two edits.
        let undo = try await ctl(["undo"])
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(undo.stdout.contains("Undid the change to \(dentistID): Dentist visit"))
        let undo2 = try json(try await ctl(["undo", "--json"]).stdout)
        #expect(undo2["undone"] as? String == "updated")
        #expect((undo2["task"] as? [String: Any])?["priority"] as? Int == 2)

        // done --request-id: a retried completion of a recurring task moves it on once.
        let rentID = try #require(try json(try await ctl(["list", "--label", "bills", "--json"]).stdout)["tasks"] as? [[String: Any]]).first?["id"] as? String
        let once = try json(try await ctl(["done", try #require(rentID), "--request-id", "r-1", "--json"]).stdout)
        let twice = try json(try await ctl(["done", try #require(rentID), "--request-id", "r-1", "--json"]).stdout)
        #expect(once["due"] as? String != nil)
        #expect(once["due"] as? String == twice["due"] as? String)
        _ = await daemon.stop()
    }

    @Test func badInputExitsWithAClearMessage() async throws {
        let dir = try TemporaryDirectory(prefix: "todod-v2-")
        defer { dir.remove() }
        let daemon = try DaemonProcess(root: dir.path)
        try await daemon.waitUntilReady()
        let env = daemon.environment
        func ctl(_ args: [String]) async throws -> ProcessResult { try await runTodoctl(args, environment: env) }

        let badDue = try await ctl(["add", "x", "--due", "the day after never"])
        #expect(badDue.status == 1)
        #expect(badDue.stderr.contains("due"))
        let badPriority = try await ctl(["add", "x", "--priority", "p9"])
        #expect(badPriority.status == 1)
        #expect(badPriority.stderr.contains("priority"))
        let badEvery = try await ctl(["add", "x", "--every", "FREQ=HOURLY"])
        #expect(badEvery.status == 1)
        #expect(badEvery.stderr.contains("recurrence"))
        let badWindow = try await ctl(["list", "--due", "later"])
        #expect(badWindow.status == 1)
        #expect(badWindow.stderr.contains("due must be one of"))
        let badSort = try await ctl(["list", "--sort", "title"])
        #expect(badSort.status == 1)
        #expect(badSort.stderr.contains("sort"))
        #expect(try await ctl(["add", "x", "--priority", "high"]).status == 2)
        let added = try json(try await ctl(["add", "x", "--json"]).stdout)
        let id = try #require(added["id"] as? String)
        #expect(try await ctl(["edit", id, "--clear", "colour"]).status == 2)
        let conflict = try await ctl(["edit", id, "--due", "tomorrow", "--clear", "due"])
        #expect(conflict.status == 2)
        #expect(conflict.stderr.contains("--clear due"))
        #expect(try await ctl(["edit", id]).status == 2)
        #expect(try await ctl(["undo"]).status == 0)
        let nothing = try await ctl(["undo"])
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("undo"))
        _ = await daemon.stop()
    }
}
