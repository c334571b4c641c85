import Foundation
import MCP
import Testing
import TodoCore
import TodoStore
import TodoTools

// MARK: - The tools' v2 fields: dates and recurrences in words, clearing, filters, schemas

@Suite("Task tools: dates in words, fields, filters (in-process MCP)")
struct TaskToolDatesTests {
    /// 2026-11-30T15:00:00Z: Monday 30 November, 10:00 in New York.
    static let now = Timestamp(millisecondsSinceEpoch: 1_796_050_800_000)
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func session(_ f: AgentFixture, zone: TimeZone = newYork) async throws -> InProcessToolSession {
        try await InProcessToolSession.connect(repository: f.store, user: f.alice, context: { DateContext(now: now, zone: zone) })
    }

    static func object(_ outcome: ToolOutcome) throws -> [String: Value] {
        try #require(outcome.structured?.objectValue, "\(outcome.text)")
    }

    @Test("add_task resolves due and recurrence words in the user's zone and returns ISO values and their words")
    func addWithWords() async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let s = try await Self.session(f)
        let timed = try Self.object(await s.call(name: "add_task", argumentsJSON:
            #"{"title":"Call mum","due":"tomorrow 5pm","priority":1,"labels":["Family"],"project":"Home","description":"ask about Xmas"}"#))
        #expect(timed["due"] == "2026-12-01T17:00:00-05:00")
        #expect(timed["due_text"] == "Tuesday 1 December 2026 at 17:00")
        #expect(timed["time_zone"] == "America/New_York")
        #expect(timed["priority"] == 1)
        #expect(timed["labels"] == ["family"])
        #expect(timed["project"] == "Home")

        let weekly = try Self.object(await s.call(name: "add_task", argumentsJSON: #"{"title":"Gym","recurrence":"every monday"}"#))
        #expect(weekly["recurrence"] == "FREQ=WEEKLY;BYDAY=MO")
        #expect(weekly["recurrence_text"] == "every week on Mon")
        #expect(weekly["due"] == "2026-11-30", "the first occurrence is today")

        let iso = try Self.object(await s.call(name: "add_task", argumentsJSON: #"{"title":"Rent","due":"2027-01-01","recurrence":"FREQ=MONTHLY;BYMONTHDAY=1"}"#))
        #expect(iso["due_text"] == "Friday 1 January 2027")
        #expect(iso["recurrence_text"] == "every month on the 1st")
        await s.close()
    }

    @Test("Bad dates and fields are tool errors naming the argument; nothing is stored", arguments: [
        (#"{"title":"x","due":"someday soon"}"#, "Invalid due"),
        (#"{"title":"x","recurrence":"every blue moon"}"#, "Invalid recurrence"),
        (#"{"title":"x","priority":7}"#, "Invalid priority"),
        (#"{"title":"x","priority":"high"}"#, "Invalid priority"),
        (#"{"title":"x","labels":[1,2]}"#, "Invalid labels"),
    ])
    func addErrors(arguments: String, mentions: String) async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let s = try await Self.session(f)
        let outcome = await s.call(name: "add_task", argumentsJSON: arguments)
        await s.close()
        #expect(outcome.isError)
        #expect(outcome.text.contains(mentions), "\(outcome.text)")
        #expect(try await f.store.tasks(for: f.alice, filter: .all).isEmpty)
    }

    @Test("update_task: words set, clear [...] and null remove, absent fields stay")
    func updateAndClear() async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let s = try await Self.session(f)
        let added = try Self.object(await s.call(name: "add_task", argumentsJSON: #"{"title":"Report","due":"friday","priority":2,"labels":["work"],"project":"Q4"}"#))
        let id = try #require(added["task_id"]?.stringValue)
        #expect(added["due_text"] == "Friday 4 December 2026")

        let moved = try Self.object(await s.call(name: "update_task", argumentsJSON: #"{"task_id":"\#(id)","due":"next monday"}"#))
        #expect(moved["due_text"] == "Monday 7 December 2026")
        #expect(moved["priority"] == 2 && moved["project"] == "Q4", "absent fields stay")

        let cleared = try Self.object(await s.call(name: "update_task", argumentsJSON: #"{"task_id":"\#(id)","clear":["due","labels"],"priority":null}"#))
        #expect(cleared["due"] == nil && cleared["labels"] == nil && cleared["priority"] == nil)
        #expect(cleared["project"] == "Q4")
        let stored = try await f.store.task(TaskID(id), for: f.alice)
        #expect(stored.due == nil && stored.labels.isEmpty && stored.priority == nil && stored.project == "Q4")

        let bad = await s.call(name: "update_task", argumentsJSON: #"{"task_id":"\#(id)","clear":["title"]}"#)
        #expect(bad.isError && bad.text.contains("Invalid clear"), "\(bad.text)")
        await s.close()
    }

    @Test("complete_task on a recurring task moves it on and says to when")
    func completeRecurring() async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let s = try await Self.session(f)
        let added = try Self.object(await s.call(name: "add_task", argumentsJSON: #"{"title":"Water plants","recurrence":"every day"}"#))
        let done = try Self.object(await s.call(name: "complete_task", argumentsJSON: #"{"task_id":"\#(added["task_id"]!.stringValue!)"}"#))
        #expect(done["status"] == "completed")
        #expect(done["completed"] == false)
        #expect(done["due"] == "2026-12-01")
        #expect(done["next_occurrence"]?.stringValue?.contains("Tuesday 1 December 2026") == true)
        await s.close()
    }

    @Test("list_tasks filters: view, due window, due_before words, priority, label, project, query, sort, limit")
    func listFilters() async throws {
        let f = try await AgentFixture.make(now: Self.now)
        let s = try await Self.session(f)
        for args in [
            #"{"title":"Late","due":"2026-11-28","priority":1,"labels":["a"]}"#, #"{"title":"Today","due":"today","project":"P"}"#,
            #"{"title":"Soon","due":"in 3 days","priority":2,"labels":["a"]}"#, #"{"title":"Far","due":"jan 20"}"#,
            #"{"title":"Undated milk","description":"oat"}"#,
        ] { #expect(!(await s.call(name: "add_task", argumentsJSON: args)).isError) }
        func titles(_ args: String) async throws -> [String] {
            let out = try Self.object(await s.call(name: "list_tasks", argumentsJSON: args))
            return out["tasks"]?.arrayValue?.compactMap { $0.objectValue?["title"]?.stringValue } ?? []
        }
        #expect(try await titles(#"{"view":"today"}"#) == ["Late", "Today"])
        #expect(try await titles(#"{"view":"upcoming"}"#) == ["Soon", "Far"])
        #expect(try await titles(#"{"due":"next_7_days"}"#) == ["Today", "Soon"])
        #expect(try await titles(#"{"due":"none"}"#) == ["Undated milk"])
        #expect(try await titles(#"{"due_before":"next week","sort":"due"}"#) == ["Late", "Today", "Soon"])
        #expect(try await titles(#"{"due_after":"2026-12-31"}"#) == ["Far"])
        #expect(try await titles(#"{"priority":2}"#) == ["Soon"])
        #expect(try await titles(#"{"label":"A","sort":"priority"}"#) == ["Late", "Soon"])
        #expect(try await titles(#"{"project":"p"}"#) == ["Today"])
        #expect(try await titles(#"{"query":"OAT"}"#) == ["Undated milk"])
        #expect(try await titles(#"{"sort":"due","limit":2}"#) == ["Late", "Today"])
        for (args, field) in [(#"{"due":"this week"}"#, "Invalid due"), (#"{"due_before":"whenever"}"#, "Invalid due_before"),
                              (#"{"view":"inbox"}"#, "Invalid view"), (#"{"limit":0}"#, "Invalid limit"), (#"{"sort":"title"}"#, "Invalid sort")] {
            let outcome = await s.call(name: "list_tasks", argumentsJSON: args)
            #expect(outcome.isError && outcome.text.contains(field), "\(args): \(outcome.text)")
        }
        await s.close()
    }

    @Test("Schemas list exactly the accepted arguments; output schemas and annotations are set")
    func schemas() async throws {
        let f = try await AgentFixture.make()
        let s = try await Self.session(f)
        let tools = Dictionary(uniqueKeysWithValues: try await s.listTools().map { ($0.name, $0) })
        await s.close()
        let expected: [String: Set<String>] = [
            "add_task": ["title", "description", "due", "priority", "labels", "project", "recurrence"],
            "list_tasks": ["status", "view", "due", "due_before", "due_after", "priority", "label", "project", "query", "sort", "limit"],
            "complete_task": ["task_id"], "delete_task": ["task_id"],
            "update_task": ["task_id", "title", "description", "due", "priority", "labels", "project", "recurrence", "clear"],
        ]
        for (name, arguments) in expected {
            let tool = try #require(tools[name])
            #expect(Set(tool.inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? []) == arguments, "\(name)")
            #expect(tool.inputSchema.objectValue?["additionalProperties"] == false)
            #expect(tool.outputSchema?.objectValue?["type"] == "object", "\(name)")
        }
        #expect(tools["list_tasks"]?.annotations.readOnlyHint == true)
        #expect(tools["list_tasks"]?.annotations.idempotentHint == true)
        #expect(tools["delete_task"]?.annotations.destructiveHint == true)
        #expect(tools["complete_task"]?.annotations.idempotentHint == false, "completing a recurring task twice skips an occurrence")
        #expect(tools["update_task"]?.inputSchema.objectValue?["properties"]?.objectValue?["due"]?.objectValue?["type"] == ["string", "null"])
        #expect(tools["add_task"]?.description?.contains("plain words") == true)
    }
}
