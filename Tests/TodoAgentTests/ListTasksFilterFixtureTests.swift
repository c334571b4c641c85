import Foundation
import MCP
import Testing
import TodoCore
import TodoStore
import TodoTesting
import TodoTools

// MARK: - list_tasks answers the shared filter fixture like every other surface

@Suite("list_tasks with the shared filter fixture")
struct ListTasksFilterFixtureTests {
    /// A case's wire parameters as list_tasks arguments: `q` is `query`, priority and limit are integers.
    static func arguments(_ query: [String: String]) -> String {
        var out: [String: Any] = [:]
        for (key, value) in query {
            switch key {
            case "q": out["query"] = value
            case "priority", "limit": out[key] = Int(value)!
            default: out[key] = value
            }
        }
        return String(decoding: try! JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self)
    }

    /// One store and one session for all cases (the fixture only reads after loading; 28 stores in parallel would
    /// load the machine for nothing).
    @Test("Each case's wire params → list_tasks arguments → the same titles in the same order")
    func fixtureCases() async throws {
        let f = try await AgentFixture.make(now: FilterFixture.now)
        _ = try await FilterFixture.load(into: f.store, for: f.alice)
        let context = FilterFixture.context
        let s = try await InProcessToolSession.connect(repository: f.store, user: f.alice, context: { context })
        #expect(FilterFixture.cases.count >= 20)
        for c in FilterFixture.cases {
            let outcome = await s.call(name: "list_tasks", argumentsJSON: Self.arguments(c.query))
            #expect(!outcome.isError, "\(c.name): \(outcome.text)")
            let object = outcome.structured?.objectValue ?? [:]
            let titles = object["tasks"]?.arrayValue?.compactMap { $0.objectValue?["title"]?.stringValue } ?? []
            #expect(titles == c.expectedTitles, "\(c.name): \(Self.arguments(c.query))")
            #expect(object["count"] == .int(c.expectedTitles.count), "\(c.name)")
            #expect(object["time_zone"] == .string(FilterFixture.zone))
        }
        await s.close()
    }
}
