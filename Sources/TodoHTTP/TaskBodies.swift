#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ChatKitProtocol
import TodoCore

// MARK: - Task bodies (task model v2)

/// `POST /api/tasks`: `{title | text, description?, due?, priority?, labels?, project?, recurrence?, time_zone?,
/// request_id?}`. `text` is quick add (`QuickAdd.parse`); exactly one of `title` and `text` is given; explicit
/// fields override what quick add found. Unknown keys are ignored; `null` is refused.
struct CreateTaskRequest: Decodable, Sendable {
    var title: String?
    var text: String?
    var description: String?
    var due: String?
    var priority: Int?
    var labels: [String]?
    var project: String?
    var recurrence: String?
    var timeZone: String?
    var requestID: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, text, description, due, priority, labels, project, recurrence
        case timeZone = "time_zone"
        case requestID = "request_id"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        typealias F = TaskFieldContract
        title = try c.decodeUnlessAbsent(String.self, forKey: .title).map(F.title)
        text = try F.bounded(c.decodeUnlessAbsent(String.self, forKey: .text), field: "text", max: F.maxQuickAdd)
        switch (title, text) {
        case (nil, nil): throw HTTPAPIError.validation(field: "title", "give `title` or quick-add `text`")
        case (.some, .some): throw HTTPAPIError.validation(field: "text", "give `title` or `text`, not both")
        default: break
        }
        description = try F.description(c.decodeUnlessAbsent(String.self, forKey: .description))
        due = try F.bounded(c.decodeUnlessAbsent(String.self, forKey: .due), field: "due", max: F.maxPhrase)
        priority = try F.priority(c.decodeUnlessAbsent(Int.self, forKey: .priority))
        labels = try F.labels(c.decodeUnlessAbsent([String].self, forKey: .labels))
        project = try F.project(c.decodeUnlessAbsent(String.self, forKey: .project))
        recurrence = try F.bounded(c.decodeUnlessAbsent(String.self, forKey: .recurrence), field: "recurrence", max: F.maxPhrase)
        timeZone = try F.bounded(c.decodeUnlessAbsent(String.self, forKey: .timeZone), field: "time_zone", max: F.maxZone)
        requestID = try F.requestID(c.decodeUnlessAbsent(String.self, forKey: .requestID))
    }

    /// The draft for the repository (trimmed and checked there by `TaskRules`), words read in `context`
    /// (or in `time_zone` when the body names one).
    /// - Throws: `TodoError` / `HTTPAPIError` validation naming the field.
    func draft(in context: DateContext) throws -> TaskDraft {
        let ctx = try RequestDateContext.overriding(context, zoneNamed: timeZone)
        var draft: TaskDraft
        if let text {
            guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
                throw HTTPAPIError.validation(field: "text", "text must not be blank")
            }
            draft = try QuickAdd.parse(text, in: ctx).draft
        } else {
            draft = TaskDraft(title: title ?? "")
        }
        if let description { draft.description = description }
        if let priority { draft.priority = priority }
        if let labels { draft.labels = labels }
        if let project { draft.project = project }
        if let due { draft.due = try TaskFieldContract.due(due, in: ctx) }
        if let recurrence {
            let (rule, first) = try TaskFieldContract.recurrence(recurrence, in: ctx)
            draft.recurrence = rule
            if due == nil, let first { draft.due = first }
        }
        draft.timeZone = timeZone ?? (draft.due?.instant != nil || draft.recurrence != nil ? ctx.zone.identifier : nil)
        return draft
    }

    /// The OpenAPI schema of this body.
    static let schema: JSONValue = .obj([
        "type": "object",
        "oneOf": .array([.obj(["required": .array(["title"])]), .obj(["required": .array(["text"])])]),
        "properties": .obj([
            "title": TaskFieldContract.titleSchema,
            "text": .obj(["type": "string", "minLength": 1, "maxLength": .number(String(TaskFieldContract.maxQuickAdd)),
                          "pattern": .string(TaskFieldContract.notBlankPattern),
                          "description": "quick add: `Pay rent every month on the 1st p1 @bills #home` (instead of title)"]),
            "description": TaskFieldContract.descriptionSchema,
            "due": TaskFieldContract.stringSchema(max: TaskFieldContract.maxPhrase, TaskFieldContract.phraseSchema),
            "priority": TaskFieldContract.prioritySchema(nullable: false),
            "labels": TaskFieldContract.labelsSchema,
            "project": TaskFieldContract.projectSchema(nullable: false),
            "recurrence": TaskFieldContract.stringSchema(max: TaskFieldContract.maxPhrase, TaskFieldContract.recurrenceDescription),
            "time_zone": TaskFieldContract.zoneSchema,
            "request_id": TaskFieldContract.requestIDSchema,
        ]),
    ])
}

/// `PATCH /api/tasks/{id}`: at least one of the task's fields; `null` clears description, due, priority,
/// project, recurrence and time_zone; `labels: []` clears the labels; `request_id` makes a completion retry-safe.
struct UpdateTaskRequest: Decodable, Sendable {
    var title: String?
    var description: FieldEdit<String>?
    var completed: Bool?
    var due: FieldEdit<String>?
    var priority: FieldEdit<Int>?
    var labels: [String]?
    var project: FieldEdit<String>?
    var recurrence: FieldEdit<String>?
    var timeZone: FieldEdit<String>?
    var requestID: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, description, completed, due, priority, labels, project, recurrence
        case timeZone = "time_zone"
        case requestID = "request_id"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        typealias F = TaskFieldContract
        title = try c.decodeUnlessAbsent(String.self, forKey: .title).map(F.title)
        description = try c.decodeEdit(String.self, forKey: .description) { try F.description($0) ?? "" }
        completed = try c.decodeUnlessAbsent(Bool.self, forKey: .completed)
        due = try c.decodeEdit(String.self, forKey: .due) { try F.bounded($0, field: "due", max: F.maxPhrase) ?? "" }
        priority = try c.decodeEdit(Int.self, forKey: .priority) { try F.priority($0) ?? 0 }
        labels = try F.labels(c.decodeUnlessAbsent([String].self, forKey: .labels))
        project = try c.decodeEdit(String.self, forKey: .project) { try F.project($0) ?? "" }
        recurrence = try c.decodeEdit(String.self, forKey: .recurrence) { try F.bounded($0, field: "recurrence", max: F.maxPhrase) ?? "" }
        timeZone = try c.decodeEdit(String.self, forKey: .timeZone) { try F.bounded($0, field: "time_zone", max: F.maxZone) ?? "" }
        requestID = try F.requestID(c.decodeUnlessAbsent(String.self, forKey: .requestID))
        guard title != nil || description != nil || completed != nil || due != nil || priority != nil || labels != nil
            || project != nil || recurrence != nil || timeZone != nil
        else { throw HTTPAPIError.validation(field: "body", "give at least one field to change") }
    }

    /// The patch, words read in `context` (or in `time_zone` when the body sets one).
    /// - Throws: validation naming the field.
    func patch(in context: DateContext) throws -> TaskPatch {
        let ctx = try RequestDateContext.overriding(context, zoneNamed: timeZone?.value)
        var patch = TaskPatch(title: title, description: description.map { $0.value ?? "" }, completed: completed,
                              priority: priority, labels: labels, project: project)
        if let due { patch.due = try due.value.map { .set(try TaskFieldContract.due($0, in: ctx)) } ?? .clear }
        if let recurrence {
            if let text = recurrence.value {
                let (rule, first) = try TaskFieldContract.recurrence(text, in: ctx)
                patch.recurrence = .set(rule)
                if due == nil, let first { patch.due = .set(first) }
            } else {
                patch.recurrence = .clear
            }
        }
        if let timeZone {
            patch.timeZone = timeZone
        } else if patch.due?.value?.instant != nil || patch.recurrence?.value != nil {
            patch.timeZone = .set(ctx.zone.identifier)
        }
        return patch
    }

    /// The OpenAPI schema of this body.
    static let schema: JSONValue = .obj([
        "type": "object",
        "anyOf": .array(CodingKeys.allCases.filter { $0 != .requestID }.map { .obj(["required": .array([.string($0.rawValue)])]) }),
        "properties": .obj([
            "title": TaskFieldContract.titleSchema,
            "description": .obj(["type": .array(["string", "null"]), "maxLength": .number(String(TaskRules.maxDescription)),
                                 "description": "trimmed; empty or null clears it"]),
            "completed": .obj(["type": "boolean"]),
            "due": TaskFieldContract.stringSchema(max: TaskFieldContract.maxPhrase, TaskFieldContract.phraseSchema + "; null clears", nullable: true),
            "priority": TaskFieldContract.prioritySchema(nullable: true),
            "labels": TaskFieldContract.labelsSchema,
            "project": TaskFieldContract.projectSchema(nullable: true),
            "recurrence": TaskFieldContract.stringSchema(max: TaskFieldContract.maxPhrase, TaskFieldContract.recurrenceDescription + "; null clears", nullable: true),
            "time_zone": .obj(["anyOf": .array([.obj(["$ref": "#/components/schemas/TimeZone"]), .obj(["type": "null"])]),
                               "description": "IANA zone name; null clears"]),
            "request_id": TaskFieldContract.requestIDSchema,
        ]),
    ])
}

extension KeyedDecodingContainer {
    /// nil when the key is absent, `.clear` for `null`, else `.set` of the value passed through `check`.
    func decodeEdit<T: Decodable & Hashable & Sendable>(_ type: T.Type, forKey key: Key, _ check: (T) throws -> T) throws -> FieldEdit<T>? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try check(decode(type, forKey: key)))
    }
}
