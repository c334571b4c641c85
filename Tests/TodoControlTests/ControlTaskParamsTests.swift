import Foundation
import Testing
import TodoControl
import TodoCore

// MARK: - Task model v2 params on the wire

@Suite("Control task params (v2)")
struct ControlTaskParamsTests {
    let decoder = ControlLineDecoder()
    /// Wednesday 2026-06-10 12:00 in Berlin.
    let context = DateContext(now: Timestamp(millisecondsSinceEpoch: 1_781_085_600_000), zone: TimeZone(identifier: "Europe/Berlin")!)

    func request(_ method: String, _ params: String) -> ControlRequest? {
        if case .request(_, let r) = decoder.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8)) { return r }
        return nil
    }

    func field(_ method: String, _ params: String) -> String? {
        if case .failure(_, let e) = decoder.decode(Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#.utf8)) {
            return e.code == RPCError.invalidParamsCode ? e.data?.field : "code \(e.code)"
        }
        return nil
    }

    /// The field a mapping error names (what the daemon sends back as -32602).
    func mappingField(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as TodoError { return e.field } catch { return "\(error)" }
    }

    @Test(arguments: [
        ("tasks.add", #"{"title":"x","priority":"high"}"#, "priority"),
        ("tasks.add", #"{"title":"x","labels":"a"}"#, "labels"),
        ("tasks.add", #"{"title":"x","due":5}"#, "due"),
        ("tasks.add", #"{"text":["x"]}"#, "text"),
        ("tasks.add", #"{"title":"x","time_zone":1}"#, "time_zone"),
        ("tasks.update", #"{"id":"t_1","priority":"x"}"#, "priority"),
        ("tasks.update", #"{"id":"t_1","labels":[1]}"#, "labels"),
        ("tasks.update", #"{"id":"t_1","request_id":""}"#, "request_id"),
        ("tasks.complete", #"{"id":"t_1","request_id":""}"#, "request_id"),
        ("tasks.list", #"{"limit":"ten"}"#, "limit"),
        ("tasks.list", #"{"due_before":7}"#, "due_before"),
        ("tasks.list", #"{"status":"open"}"#, "status"),
    ])
    func badTypesNameTheField(method: String, params: String, field expected: String) {
        #expect(field(method, params) == expected)
    }

    @Test func updateKeepsAbsentNullAndValueApart() throws {
        let r = try #require(request("tasks.update", #"{"id":"t_1","due":null,"priority":2,"labels":[],"request_id":"r"}"#))
        guard case .updateTask(let p) = r else { Issue.record("not an update: \(r)"); return }
        #expect(p.due == .null)
        #expect(p.priority == .value(2))
        #expect(p.labels == .value([]))
        #expect(p.project == .absent)
        #expect(p.description == .absent)
        #expect(p.requestID == "r")
        let patch = try ControlTaskMapping.patch(p, in: context)
        #expect(patch.due == .clear)
        #expect(patch.priority == .set(2))
        #expect(patch.labels == [])
        #expect(patch.project == nil)
        // Encoding writes null for a clear and nothing for an absent field.
        let json = String(decoding: try JSONEncoder().encode(p), as: UTF8.self)
        #expect(json.contains(#""due":null"#))
        #expect(!json.contains("project"))
    }

    @Test func undoAndV2AddDecode() throws {
        #expect(request("tasks.undo", "{}") == .undoTask)
        let add = try #require(request("tasks.add", #"{"text":"Pay rent p1","due":"tomorrow","labels":["a"],"time_zone":"UTC","request_id":"r1"}"#))
        #expect(add == .addTask(AddTaskParams(text: "Pay rent p1", due: "tomorrow", labels: ["a"], timeZone: "UTC", requestID: "r1")))
    }

    @Test func quickAddWithOverrides() throws {
        let draft = try ControlTaskMapping.draft(
            AddTaskParams(text: "Pay rent every month on the 1st p1 @bills #home", project: "flat"), in: context)
        #expect(draft.title == "Pay rent")
        #expect(draft.due == .date(LocalDate(year: 2026, month: 7, day: 1)!))
        #expect(draft.recurrence?.rrule.contains("FREQ=MONTHLY") == true)
        #expect(draft.priority == 1)
        #expect(draft.labels == ["bills"])
        #expect(draft.project == "flat")
        #expect(draft.timeZone == "Europe/Berlin")
    }

    @Test func explicitDueAndRecurrenceInWordsAndISO() throws {
        let timed = try ControlTaskMapping.draft(AddTaskParams(title: "Call", due: "tomorrow 5pm"), in: context)
        #expect(timed.due?.iso == "2026-06-11T17:00:00+02:00")
        #expect(timed.timeZone == "Europe/Berlin")
        let iso = try ControlTaskMapping.draft(AddTaskParams(title: "Call", due: "2026-12-01"), in: context)
        #expect(iso.due == .date(LocalDate(year: 2026, month: 12, day: 1)!))
        #expect(iso.timeZone == nil)
        let words = try ControlTaskMapping.draft(AddTaskParams(title: "Gym", recurrence: "every friday"), in: context)
        #expect(words.due == .date(LocalDate(year: 2026, month: 6, day: 12)!))
        let rrule = try ControlTaskMapping.draft(AddTaskParams(title: "Gym", due: "2026-06-12", recurrence: "FREQ=WEEKLY"), in: context)
        #expect(rrule.recurrence?.frequency == .weekly)
    }

    @Test func mappingErrorsNameTheField() {
        #expect(mappingField { _ = try ControlTaskMapping.draft(AddTaskParams(title: "a", text: "b"), in: context) } == "text")
        #expect(mappingField { _ = try ControlTaskMapping.draft(AddTaskParams(), in: context) } == "title")
        #expect(mappingField { _ = try ControlTaskMapping.draft(AddTaskParams(title: "a", due: "someday soon"), in: context) } == "due")
        #expect(mappingField { _ = try ControlTaskMapping.draft(AddTaskParams(title: "a", recurrence: "every blue moon"), in: context) } == "recurrence")
        #expect(mappingField { _ = try ControlTaskMapping.draft(AddTaskParams(title: "a", recurrence: "FREQ=HOURLY"), in: context) } == "recurrence")
        #expect(mappingField { _ = try ControlTaskMapping.draft(AddTaskParams(title: "a", priority: 9), in: context) } == "priority")
        #expect(mappingField { _ = try ControlTaskMapping.context(timeZone: "Mars/Olympus", now: context.now) } == "time_zone")
        #expect(mappingField { _ = try ControlTaskMapping.patch(UpdateTaskParams(id: try TaskID("t_1")), in: context) } == "title")
        #expect(mappingField { _ = try ControlTaskMapping.patch(UpdateTaskParams(id: try TaskID("t_1"), due: .value("nope")), in: context) } == "due")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(view: "week"), in: context) } == "view")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(due: "later"), in: context) } == "due")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(dueBefore: "whenever"), in: context) } == "due_before")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(dueAfter: "2026-13-01"), in: context) } == "due_after")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(sort: "title"), in: context) } == "sort")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(limit: 0), in: context) } == "limit")
        #expect(mappingField { _ = try ControlTaskMapping.query(ListTasksParams(priority: 5), in: context) } == "priority")
    }

    @Test func viewDefaultsYieldToExplicitFilters() throws {
        let today = try ControlTaskMapping.query(ListTasksParams(view: "today"), in: context)
        #expect(today == TaskQuery(view: .today))
        let sorted = try ControlTaskMapping.query(ListTasksParams(status: .all, view: "today", dueBefore: "friday", sort: "priority"), in: context)
        #expect(sorted.status == .all)
        #expect(sorted.due == .todayOrOverdue)
        #expect(sorted.sort == .priority)
        #expect(sorted.dueBefore == LocalDate(year: 2026, month: 6, day: 12))
    }

    @Test func recurrenceInWordsOnUpdateSetsTheDueToo() throws {
        let patch = try ControlTaskMapping.patch(UpdateTaskParams(id: try TaskID("t_1"), recurrence: .value("every monday")), in: context)
        #expect(patch.due == .set(.date(LocalDate(year: 2026, month: 6, day: 15)!)))
        #expect(patch.timeZone == .set("Europe/Berlin"))
        let cleared = try ControlTaskMapping.patch(UpdateTaskParams(id: try TaskID("t_1"), description: .null, recurrence: .null), in: context)
        #expect(cleared.recurrence == .clear)
        #expect(cleared.description == "")
    }
}
