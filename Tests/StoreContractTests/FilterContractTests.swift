import Testing
import TodoCore
import TodoStore
import TodoTesting

// MARK: - The shared filter fixture on every store

/// Loads `FilterFixture` (12 tasks, created at one instant) and answers its 28 queries. Every store must give the
/// expected titles and, as ids, exactly the file store's answer computed in the same run (a golden by draft index).
@Suite("Store contract: filter fixture", .timeLimit(.minutes(2)))
struct FilterContractTests {
    let alice = user("alice")

    /// The fixture's wire query as a `TaskQuery`, read in the fixture's context (view defaults, then each filter).
    static func query(_ wire: [String: String]) throws -> TaskQuery {
        let context = FilterFixture.context
        var q = TaskQuery()
        if let view = wire["view"] { q = TaskQuery(view: try #require(TaskView(rawValue: view))) }
        for (key, value) in wire {
            switch key {
            case "view": break
            case "status": q.status = try TaskFilter(parsing: value)
            case "due": q.due = try DueWindow(parsing: value)
            case "due_before": q.dueBefore = try WhenInput.date(value, field: "due_before", in: context)
            case "due_after": q.dueAfter = try WhenInput.date(value, field: "due_after", in: context)
            case "priority": q.priority = try #require(Int(value))
            case "label": q.label = value
            case "project": q.project = value
            case "q": q.text = value
            case "sort": q.sort = try TaskSort(parsing: value)
            case "limit": q.limit = try #require(Int(value))
            default: Issue.record("unknown fixture parameter \(key)")
            }
        }
        return try q.validated()
    }

    /// Each case's answer as indexes into `FilterFixture.drafts` (ids differ between stores; positions do not).
    static func answers(of kind: StoreKind, for user: UserID) async throws -> [String: [Int]] {
        try await withStore(kind, clock: ManualWallClock(start: FilterFixture.now)) { store in
            let created = try await FilterFixture.load(into: store, for: user)
            #expect(created.map(\.title) == FilterFixture.drafts.map(\.title))
            let index = Dictionary(uniqueKeysWithValues: created.enumerated().map { ($1.id, $0) })
            var out: [String: [Int]] = [:]
            for c in FilterFixture.cases {
                let tasks = try await store.tasks(for: user, query: try query(c.query), context: FilterFixture.context)
                out[c.name] = tasks.map { index[$0.id] ?? -1 }
                #expect(FilterFixture.titles(tasks) == c.expectedTitles, "\(kind) \(c.name): \(c.query)")
            }
            return out
        }
    }

    @Test("every fixture query gives the expected titles and the file store's ids", arguments: StoreKind.available)
    func fixture(kind: StoreKind) async throws {
        #expect(FilterFixture.drafts.count == 12 && FilterFixture.cases.count == 28)
        let golden = try await Self.answers(of: .file, for: alice)
        let got = kind == .file ? golden : try await Self.answers(of: kind, for: alice)
        #expect(golden.count == FilterFixture.cases.count)
        for c in FilterFixture.cases {
            #expect(got[c.name] == golden[c.name], "\(kind) \(c.name): expected \(golden[c.name] ?? []) got \(got[c.name] ?? [])")
        }
    }

    @Test("queries see only the user's own tasks", arguments: StoreKind.available)
    func queriesAreScoped(kind: StoreKind) async throws {
        try await withStore(kind, clock: ManualWallClock(start: FilterFixture.now)) { store in
            _ = try await FilterFixture.load(into: store, for: alice)
            let bob = user("bob")
            let mine = try await store.addTask(TaskDraft(title: "Pay rent too", priority: 1), for: bob, requestID: nil)
            for c in FilterFixture.cases {
                let tasks = try await store.tasks(for: bob, query: try Self.query(c.query), context: FilterFixture.context)
                #expect(tasks.allSatisfy { $0.id == mine.id }, "\(kind) \(c.name)")
            }
            let rent = try await store.tasks(for: bob, query: try Self.query(["q": "rent"]), context: FilterFixture.context)
            #expect(rent == [mine])
        }
    }
}
