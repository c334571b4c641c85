import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ChatKitProtocol
import TodoCore
import TodoTesting
@testable import TodoHTTP

// MARK: - GET /api/tasks filters: the shared fixture, and 422 for every invalid parameter

@Suite("REST list filters")
struct RESTFilterTests {
    /// `name=value&…` with values percent-encoded.
    static func queryString(_ query: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return query.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)" }
            .joined(separator: "&")
    }

    @Test("Every FilterFixture case over GET /api/tasks answers the fixture's titles, in order", arguments: FilterFixture.cases)
    func fixture(_ c: FilterFixture.Case) async throws {
        var h = try await HTTPTestHarness.make()
        h.clock = ManualWallClock(start: FilterFixture.now)
        h.timeZone = try DateContext.zone(named: "UTC")
        _ = try await FilterFixture.load(into: h.store, for: try UserID("alice"))
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.call("/api/tasks?" + Self.queryString(c.query), .get, token: token,
                                          headers: [RequestDateContext.header: FilterFixture.zone])
            #expect(r.status == .ok, "\(c.name): \(r.text)")
            let titles = (r.json.arrayValue ?? []).compactMap { $0["title"]?.stringValue }
            #expect(titles == c.expectedTitles, "\(c.name) with \(Self.queryString(c.query))")
        }
    }

    @Test("An invalid list parameter is a 422 naming it; unknown parameters are ignored", arguments: [
        ("status=done", "status"), ("view=week", "view"), ("due=soon", "due"), ("due_before=whenever", "due_before"),
        ("due_after=2026-13-01", "due_after"), ("due_before=", "due_before"), ("priority=0", "priority"), ("priority=5", "priority"),
        ("priority=high", "priority"), ("priority=-1", "priority"), ("label=a%20b", "label"), ("label=", "label"),
        ("project=\(String(repeating: "p", count: 65))", "project"), ("q=\(String(repeating: "q", count: 201))", "q"),
        ("sort=title", "sort"), ("limit=0", "limit"), ("limit=100001", "limit"), ("limit=ten", "limit"),
        ("due_after=2026-06-12&due_before=2026-06-11", "due_after"),
    ])
    func invalidParameter(query: String, field: String) async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.call("/api/tasks?" + query, .get, token: token)
            #expect(r.status == .unprocessableContent, "\(query) → \(r.status.code) \(r.text)")
            #expect(r.json["error"]?["field"]?.stringValue == field, "\(query) → \(r.text)")
            #expect(try await client.call("/api/tasks?colour=red&limit=100000", .get, token: token).status == .ok)
        }
    }
}
