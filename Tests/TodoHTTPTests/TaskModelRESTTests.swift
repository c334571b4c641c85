import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ChatKitProtocol
import TodoCore
import TodoTesting
@testable import TodoHTTP

// MARK: - REST, task model v2: every field, words in the request's zone, undo, quick-add preview

@Suite("REST task model v2")
struct TaskModelRESTTests {
    /// Wednesday 2026-06-10 23:30 UTC: already Thursday in Auckland.
    static let lateEvening = Timestamp(millisecondsSinceEpoch: 1_781_134_200_000)

    static func harness(now: Timestamp = lateEvening, zone: String = "UTC") async throws -> HTTPTestHarness {
        var h = try await HTTPTestHarness.make()
        h.clock = ManualWallClock(start: now)
        h.timeZone = try DateContext.zone(named: zone)
        return h
    }

    @Test("POST /api/tasks with every field, then with quick-add text whose findings explicit fields override")
    func createEveryField() async throws {
        let h = try await Self.harness()
        let token = try await h.token()
        try await h.test { client in
            let full = try await client.call("/api/tasks", .post, token: token, body: #"""
                {"title":"Pay rent","description":"flat","due":"2026-07-01T09:00:00+02:00","priority":1,"labels":["Bills","@home"],
                 "project":"#Home","recurrence":"FREQ=MONTHLY;BYMONTHDAY=1","time_zone":"Europe/Berlin"}
                """#)
            #expect(full.status == .created, "\(full.text)")
            #expect(full.json["due"]?.stringValue == "2026-07-01T09:00:00+02:00")
            #expect(full.json["priority"]?.intValue == 1)
            #expect(full.json["labels"] == .array(["bills", "home"]))
            #expect(full.json["project"]?.stringValue == "Home")
            #expect(full.json["recurrence"]?.stringValue == "FREQ=MONTHLY;BYMONTHDAY=1")
            #expect(full.json["time_zone"]?.stringValue == "Europe/Berlin")
            #expect(full.json["description"]?.stringValue == "flat")

            let quick = try await client.call("/api/tasks", .post, token: token,
                body: #"{"text":"Water plants every monday p3 @home #garden","priority":2,"project":"yard"}"#)
            #expect(quick.status == .created, "\(quick.text)")
            #expect(quick.json["title"]?.stringValue == "Water plants")
            #expect(quick.json["recurrence"]?.stringValue == "FREQ=WEEKLY;BYDAY=MO")
            #expect(quick.json["due"]?.stringValue == "2026-06-15", "the first Monday on or after Wed 10 June")
            #expect(quick.json["priority"]?.intValue == 2, "explicit priority overrides p3")
            #expect(quick.json["project"]?.stringValue == "yard")
            #expect(quick.json["labels"] == .array(["home"]))
            #expect(quick.json["time_zone"]?.stringValue == h.timeZone.identifier, "a recurrence stores the request's zone")

            let words = try await client.call("/api/tasks", .post, token: token, body: #"{"title":"Call","due":"tomorrow 5pm","recurrence":"every day"}"#)
            #expect(words.json["due"]?.stringValue == "2026-06-11T17:00:00Z", "an explicit due wins over the recurrence's first due")
            #expect(words.json["recurrence"]?.stringValue == "FREQ=DAILY")
        }
    }

    @Test("PATCH /api/tasks/{id} sets every field; null clears, labels [] clears, absent keeps")
    func patchEveryField() async throws {
        let h = try await Self.harness()
        let token = try await h.token()
        try await h.test { client in
            let id = try #require(try await client.call("/api/tasks", .post, token: token, body: #"{"title":"a"}"#).json["id"]?.stringValue)
            let set = try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"""
                {"title":"b","description":"d","due":"friday 9am","priority":4,"labels":["x"],"project":"p","recurrence":"weekly","request_id":"r1"}
                """#)
            #expect(set.status == .ok, "\(set.text)")
            #expect(set.json["title"]?.stringValue == "b")
            #expect(set.json["due"]?.stringValue == "2026-06-12T09:00:00Z", "friday from Wed 10 June (UTC)")
            #expect(set.json["recurrence"]?.stringValue == "FREQ=WEEKLY")
            #expect(set.json["priority"]?.intValue == 4)
            #expect(set.json["labels"] == .array(["x"]))
            #expect(set.json["project"]?.stringValue == "p")
            #expect(set.json["time_zone"]?.stringValue == h.timeZone.identifier, "a timed due stores the request's zone")
            let cleared = try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"""
                {"description":null,"recurrence":null,"due":null,"priority":null,"labels":[],"project":null,"time_zone":null}
                """#)
            #expect(cleared.status == .ok, "\(cleared.text)")
            for key in ["description", "due", "priority", "labels", "project", "recurrence", "time_zone"] {
                #expect(cleared.json[key] == nil, "\(key) cleared: \(cleared.text)")
            }
            #expect(cleared.json["title"]?.stringValue == "b", "absent keeps")
            let done = try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"{"completed":true,"request_id":"done-1"}"#)
            #expect(done.json["completed"]?.boolValue == true)
            #expect(done.json["completed_at"]?.stringValue != nil)
        }
    }

    @Test("Every invalid value is a 422 naming the field", arguments: [
        ("POST", #"{"title":"a","due":"someday maybe"}"#, "due"),
        ("POST", #"{"title":"a","due":""}"#, "due"),
        ("POST", #"{"title":"a","due":"2026-02-30"}"#, "due"),
        ("POST", #"{"title":"a","priority":0}"#, "priority"),
        ("POST", #"{"title":"a","priority":5}"#, "priority"),
        ("POST", #"{"title":"a","priority":"high"}"#, "priority"),
        ("POST", #"{"title":"a","labels":["no spaces"]}"#, "labels"),
        ("POST", #"{"title":"a","labels":"x"}"#, "labels"),
        ("POST", #"{"title":"a","project":"\#(String(repeating: "p", count: 65))"}"#, "project"),
        ("POST", #"{"title":"a","recurrence":"FREQ=HOURLY"}"#, "recurrence"),
        ("POST", #"{"title":"a","recurrence":"every blue moon"}"#, "recurrence"),
        ("POST", #"{"title":"a","recurrence":"FREQ=DAILY"}"#, "recurrence"),
        ("POST", #"{"title":"a","time_zone":"Mars/Olympus"}"#, "time_zone"),
        ("POST", #"{"title":"a","text":"b"}"#, "text"),
        ("POST", #"{"text":"   "}"#, "text"),
        ("POST", #"{"description":"only"}"#, "title"),
        ("POST", #"{"text":"Pay p1 p2"}"#, "priority"),
        ("PATCH", #"{"due":"yesterday-ish"}"#, "due"),
        ("PATCH", #"{"priority":9}"#, "priority"),
        ("PATCH", #"{"labels":null}"#, "labels"),
        ("PATCH", #"{"title":null}"#, "title"),
        ("PATCH", #"{"time_zone":"Nowhere/Land"}"#, "time_zone"),
        ("PATCH", #"{"recurrence":"FREQ=DAILY;INTERVAL=0"}"#, "recurrence"),
        ("PATCH", #"{"request_id":"x"}"#, "body"),
        ("PATCH", #"{"completed":true,"request_id":""}"#, "request_id"),
        ("PARSE", #"{"text":""}"#, "text"),
        ("PARSE", #"{"text":"Call mom on feb 30"}"#, "due"),
        ("PARSE", #"{"text":"a","time_zone":"Bad/Zone"}"#, "time_zone"),
    ])
    func invalidValues(method: String, body: String, field: String) async throws {
        let h = try await Self.harness()
        let token = try await h.token()
        try await h.test { client in
            let id = try #require(try await client.call("/api/tasks", .post, token: token, body: #"{"title":"t"}"#).json["id"]?.stringValue)
            let r = switch method {
            case "POST": try await client.call("/api/tasks", .post, token: token, body: body)
            case "PATCH": try await client.call("/api/tasks/\(id)", .patch, token: token, body: body)
            default: try await client.call("/api/tasks/parse", .post, token: token, body: body)
            }
            #expect(r.status == .unprocessableContent, "\(method) \(body) → \(r.status.code) \(r.text)")
            #expect(r.json["error"]?["field"]?.stringValue == field, "\(method) \(body) → \(r.text)")
            #expect(r.json["error"]?["code"]?.stringValue == "validation_error")
        }
    }

    @Test("X-Time-Zone decides what tomorrow means; an unknown zone is a 422 naming time_zone")
    func requestZone() async throws {
        let h = try await Self.harness()
        let token = try await h.token()
        try await h.test { client in
            let body = #"{"title":"t","due":"tomorrow"}"#
            let utc = try await client.call("/api/tasks", .post, token: token, body: body)
            #expect(utc.json["due"]?.stringValue == "2026-06-11", "Wed 23:30 UTC: tomorrow is Thursday")
            let auckland = try await client.call("/api/tasks", .post, token: token, headers: [RequestDateContext.header: "Pacific/Auckland"], body: body)
            #expect(auckland.json["due"]?.stringValue == "2026-06-12", "already Thursday 11:30 in Auckland: tomorrow is Friday")
            let bodyZone = try await client.call("/api/tasks", .post, token: token, headers: [RequestDateContext.header: "UTC"],
                                                 body: #"{"title":"t","due":"tomorrow 9am","time_zone":"Pacific/Auckland"}"#)
            #expect(bodyZone.json["due"]?.stringValue == "2026-06-12T09:00:00+12:00", "the body's time_zone overrides the header")
            #expect(bodyZone.json["time_zone"]?.stringValue == "Pacific/Auckland")
            for (path, method) in [("/api/tasks", HTTPRequest.Method.get), ("/api/tasks", .post), ("/api/tasks/parse", .post)] {
                let bad = try await client.call(path, method, token: token, headers: [RequestDateContext.header: "Not/AZone"],
                                                body: method == .get ? nil : #"{"text":"x tomorrow"}"#)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.json["error"]?["field"]?.stringValue == "time_zone", "\(method) \(path)")
            }
            let listed = try await client.call("/api/tasks?due=tomorrow", .get, token: token, headers: [RequestDateContext.header: "Pacific/Auckland"])
            #expect(listed.json.arrayValue?.count == 2, "the Auckland dues (12 June) are tomorrow there: \(listed.text)")
        }
    }

    @Test("POST /api/undo reverts create, update and delete in turn, then answers 409")
    func undo() async throws {
        let h = try await Self.harness()
        let token = try await h.token()
        try await h.test { client in
            #expect(try await client.call("/api/undo", .post, token: token).status == .conflict, "nothing to undo yet")
            let id = try #require(try await client.call("/api/tasks", .post, token: token, body: #"{"title":"a"}"#).json["id"]?.stringValue)
            _ = try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"{"title":"b","priority":2}"#)
            _ = try await client.call("/api/tasks/\(id)", .delete, token: token)
            let deleted = try await client.call("/api/undo", .post, token: token)
            #expect(deleted.status == .ok)
            #expect(deleted.json["undone"]?.stringValue == "deleted")
            #expect(deleted.json["remaining"]?.intValue == 2)
            #expect(try await client.call("/api/tasks/\(id)", .get, token: token).json["title"]?.stringValue == "b")
            let updated = try await client.call("/api/undo", .post, token: token)
            #expect(updated.json["undone"]?.stringValue == "updated")
            #expect(updated.json["task"]?["title"]?.stringValue == "a")
            #expect(updated.json["task"]?["priority"] == nil)
            let created = try await client.call("/api/undo", .post, token: token)
            #expect(created.json["undone"]?.stringValue == "created")
            #expect(created.json["remaining"]?.intValue == 0)
            #expect(try await client.call("/api/tasks/\(id)", .get, token: token).status == .notFound)
            let empty = try await client.call("/api/undo", .post, token: token)
            #expect(empty.status == .conflict)
            #expect(empty.json["error"]?["code"]?.stringValue == "conflict")
        }
    }

    @Test("POST /api/tasks/parse previews quick add and saves nothing")
    func parsePreview() async throws {
        let h = try await Self.harness()
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.call("/api/tasks/parse", .post, token: token, body: #"{"text":"Pay rent every month on the 1st p1 @bills #home"}"#)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["title"]?.stringValue == "Pay rent")
            #expect(r.json["due"]?.stringValue == "2026-07-01")
            #expect(r.json["recurrence"]?.stringValue == "FREQ=MONTHLY;BYMONTHDAY=1")
            #expect(r.json["recurrence_text"]?.stringValue == "every month on the 1st")
            #expect(r.json["due_text"]?.stringValue == "Wednesday 1 July 2026")
            #expect(r.json["priority"]?.intValue == 1)
            #expect(r.json["labels"] == .array(["bills"]))
            #expect(r.json["project"]?.stringValue == "home")
            #expect(r.json["date_text"]?.stringValue == "every month on the 1st")
            let plain = try await client.call("/api/tasks/parse", .post, token: token, body: #"{"text":"Just a title"}"#)
            #expect(plain.json["labels"] == .array([]))
            #expect(plain.json["due"] == nil)
            #expect(try await client.call("/api/tasks", .get, token: token).json.arrayValue?.isEmpty == true, "nothing saved")
        }
    }
}
