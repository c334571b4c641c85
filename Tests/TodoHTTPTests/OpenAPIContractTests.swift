import Testing
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import ChatKitProtocol
import TodoCore
@testable import TodoHTTP

// MARK: - The HTTP contract: 405 + Allow, documented statuses, schema constraints = TaskRules

@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    static let session = HTTPField.Name("Mcp-Session-Id")!

    /// The statuses the document lists for `method` on the documented `path`.
    static func documented(_ doc: JSONValue, _ method: String, _ path: String) -> Set<Int> {
        Set((doc["paths"]?[path]?[method]?["responses"]?.objectValue ?? []).compactMap { Int($0.0) })
    }

    @Test("A method a path does not serve is 405 with Allow and a JSON error; an unknown path is a JSON 404")
    func methodNotAllowed() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            let put = try await client.call("/api/tasks", .put, token: token, body: "{}")
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, POST")
            #expect(put.headers[.contentType] == "application/json")
            #expect(put.json["error"]?["code"]?.stringValue == "method_not_allowed")
            let one = try await client.call("/api/tasks/abc", .post, token: token, body: "{}")
            #expect(one.status == .methodNotAllowed)
            #expect(one.headers[.allow] == "DELETE, GET, PATCH")
            let health = try await client.call("/healthz", .delete)
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers[.allow] == "GET")
            let options = try await client.call("/mcp", .options, token: token)
            #expect(options.headers[.allow] == "DELETE, GET, POST")
            let missing = try await client.call("/api/nothing-here", .get, token: token)
            #expect(missing.status == .notFound)
            #expect(missing.json["error"]?["code"]?.stringValue == "not_found")
            #expect(try await client.call("/api/tasks", .put).status == .unauthorized, "authentication comes before method dispatch")
        }
    }

    @Test("Every status a route answers in these requests is one its OpenAPI entry documents")
    func documentedStatuses() async throws {
        let h = try await HTTPTestHarness.make(configuration: HTTPConfiguration(allowedHosts: ["localhost"], chatRateLimitPerMinute: 0, maxBodyBytes: 4096))
        let token = try await h.token()
        let doc = OpenAPIDocument.document
        let cookie: HTTPFields = [.cookie: "todod_session=bogus"]
        let huge = #"{"title":"\#(String(repeating: "x", count: 5000))"}"#
        try await h.test { client in
            let created = try await client.call("/api/tasks", .post, token: token, body: #"{"title":"a"}"#)
            let id = try #require(created.json["id"]?.stringValue)
            let etag = try await client.call("/", .get).headers[.eTag] ?? ""
            // (documented path, method, request path, token?, extra headers, body)
            let cases: [(String, HTTPRequest.Method, String, String?, HTTPFields, String?)] = [
                ("/healthz", .get, "/healthz", nil, [:], nil), ("/metrics", .get, "/metrics", nil, [:], nil),
                ("/", .get, "/", nil, [:], nil), ("/", .get, "/", nil, [.ifNoneMatch: etag], nil),
                ("/login", .get, "/login", nil, [:], nil), ("/assets/{name}", .get, "/assets/nope.js", nil, [:], nil),
                ("/api/openapi.json", .get, "/api/openapi.json", token, [:], nil), ("/api/openapi.json", .get, "/api/openapi.json", nil, [:], nil),
                ("/api/tasks", .get, "/api/tasks", token, [:], nil), ("/api/tasks", .get, "/api/tasks?status=nope", token, [:], nil),
                ("/api/tasks", .get, "/api/tasks", nil, cookie, nil),
                ("/api/tasks", .post, "/api/tasks", token, [:], #"{"title":"b"}"#), ("/api/tasks", .post, "/api/tasks", token, [:], "not json"),
                ("/api/tasks", .post, "/api/tasks", token, [:], #"{"title":" "}"#), ("/api/tasks", .post, "/api/tasks", token, [:], huge),
                ("/api/tasks", .post, "/api/tasks", token, [.origin: "http://evil.example"], #"{"title":"c"}"#),
                ("/api/tasks/{id}", .get, "/api/tasks/\(id)", token, [:], nil), ("/api/tasks/{id}", .get, "/api/tasks/nope", token, [:], nil),
                ("/api/tasks/{id}", .patch, "/api/tasks/\(id)", token, [:], #"{"completed":true}"#),
                ("/api/tasks/{id}", .patch, "/api/tasks/\(id)", token, [:], #"{}"#), ("/api/tasks/{id}", .patch, "/api/tasks/\(id)", token, [:], "["),
                ("/api/tasks/{id}/complete", .post, "/api/tasks/\(id)/complete", token, [:], nil),
                ("/api/tasks/{id}/reopen", .post, "/api/tasks/nope/reopen", token, [:], nil),
                ("/api/tasks/{id}", .delete, "/api/tasks/\(id)", token, [:], nil), ("/api/tasks/{id}", .delete, "/api/tasks/\(id)", token, [:], nil),
                ("/api/session", .get, "/api/session", token, [:], nil), ("/api/session", .post, "/api/session", nil, [:], #"{"code":"nope"}"#),
                ("/api/session", .post, "/api/session", nil, [:], #"{}"#), ("/api/session/logout", .post, "/api/session/logout", token, [:], nil),
                ("/api/events", .get, "/api/events", nil, [:], nil),
                ("/api/chatkit", .post, "/api/chatkit", token, [:], #"{"type":"nope","params":{}}"#), ("/api/chatkit", .post, "/api/chatkit", token, [:], "x"),
                ("/api/chat", .post, "/api/chat", token, [:], #"{"message":" "}"#),
                ("/mcp", .post, "/mcp", token, [:], #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#),
                ("/mcp", .post, "/mcp", token, [Self.session: "nope"], #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#),
                ("/mcp", .get, "/mcp", token, [:], nil), ("/mcp", .delete, "/mcp", token, [Self.session: "nope"], nil),
            ]
            var seen = 0
            for (path, method, uri, auth, headers, body) in cases {
                let response = try await client.call(uri, method, token: auth, headers: headers, body: body)
                let statuses = Self.documented(doc, method.rawValue.lowercased(), path)
                #expect(statuses.contains(response.status.code), "\(method) \(uri) answered \(response.status.code); documented: \(statuses.sorted())")
                if response.status.code >= 400, !path.hasPrefix("/mcp") || [401, 403].contains(response.status.code) {
                    #expect(response.json["error"]?["code"]?.stringValue != nil, "\(method) \(uri): errors are JSON")
                }
                seen += 1
            }
            #expect(seen == cases.count)
        }
    }

    @Test("The request schemas' constraints are TaskRules' limits and the typed requests' keys")
    func schemaMatchesTaskRules() throws {
        let schemas = try #require(OpenAPIDocument.document["components"]?["schemas"])
        let create = try #require(schemas["TaskCreate"]), patch = try #require(schemas["TaskPatch"])
        #expect(create["properties"]?.objectValue?.map(\.0).sorted() == CreateTaskRequest.CodingKeys.allCases.map(\.rawValue).sorted())
        #expect(patch["properties"]?.objectValue?.map(\.0).sorted() == UpdateTaskRequest.CodingKeys.allCases.map(\.rawValue).sorted())
        for body in [create, patch] {
            #expect(body["properties"]?["title"]?["maxLength"]?.intValue == TaskRules.maxTitle)
            #expect(body["properties"]?["title"]?["minLength"]?.intValue == 1)
            #expect(body["properties"]?["title"]?["pattern"]?.stringValue == TaskFieldContract.notBlankPattern)
            #expect(body["properties"]?["description"]?["maxLength"]?.intValue == TaskRules.maxDescription)
        }
        #expect(create["oneOf"] == .array([.obj(["required": .array(["title"])]), .obj(["required": .array(["text"])])]), "title or text")
        #expect(patch["anyOf"]?.arrayValue?.count == UpdateTaskRequest.CodingKeys.allCases.count - 1, "at least one field (request_id alone is not a change)")
        let status = OpenAPIDocument.document["paths"]?["/api/tasks"]?["get"]?["parameters"]?.arrayValue?.first
        #expect(status?["schema"]?["enum"] == .array(TaskFilter.allCases.map { .string($0.rawValue) }))
        // The pattern's class is exactly the scalars TaskRules trims.
        var whiteSpace = Set<UInt32>()
        for value in UInt32(0)...0x10FFFF {
            if let scalar = Unicode.Scalar(value), scalar.properties.isWhitespace { whiteSpace.insert(value) }
        }
        #expect(Set(TaskFieldContract.whiteSpace.flatMap { Array($0) }) == whiteSpace)
        #expect(TaskFieldContract.notBlankPattern.hasPrefix(#"[^\u0009-\u000D\u0020"#))
    }

    @Test("The Task schema describes what the routes encode a TaskItem to, with and without a description")
    func taskSchemaMatchesEncoding() async throws {
        let schema = try #require(OpenAPIDocument.document["components"]?["schemas"]?["Task"])
        let properties = Set((schema["properties"]?.objectValue ?? []).map(\.0))
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        try await h.test { client in
            for body in [#"{"title":"Buy milk"}"#, #"{"title":"Buy milk","description":"2 l / semi"}"#] {
                let created = try await client.call("/api/tasks", .post, token: token, body: body)
                #expect(created.headers[.contentType] == "application/json")
                let keys = Set((created.json.objectValue ?? []).map(\.0))
                #expect(required.isSubset(of: keys), "missing: \(required.subtracting(keys))")
                #expect(keys.isSubset(of: properties), "undocumented: \(keys.subtracting(properties))")
                #expect(created.json["created_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) != nil)
            }
            #expect(try await client.call("/api/tasks", .get, token: token).text.contains(#""2 l / semi""#), "slashes are not escaped")
        }
    }

    @Test("Values at the schema's limits are accepted and one past them refused with 422 naming the field")
    func limitsMatchSchema() async throws {
        let h = try await HTTPTestHarness.make()
        let token = try await h.token()
        let max = String(repeating: "é", count: TaskRules.maxTitle)
        let accepted = [
            #"{"title":"\#(max)"}"#, #"{"title":" \u0301"}"#, #"{"title":"a","description":""}"#,
            #"{"title":"a","description":"\#(String(repeating: "d", count: TaskRules.maxDescription))"}"#,
            #"{"title":"a","request_id":"\#(String(repeating: "r", count: 128))"}"#, #"{"title":"a","other":1}"#,
        ]
        let refused: [(String, String)] = [
            (#"{"title":"\#(max)x"}"#, "title"), (#"{"title":" \#(max)"}"#, "title"), (#"{"title":""}"#, "title"),
            (#"{"title":"\u2003\u3000\n\u0085"}"#, "title"), (#"{"title":null}"#, "title"), (#"{}"#, "title"), (#"{"title":5}"#, "title"),
            (#"{"title":"a","description":"\#(String(repeating: "d", count: TaskRules.maxDescription + 1))"}"#, "description"),
            (#"{"title":"a","description":null}"#, "description"),
            (#"{"title":"a","request_id":"\#(String(repeating: "r", count: 129))"}"#, "request_id"),
            (#"{"title":"a","request_id":""}"#, "request_id"), (#"{"title":"a","request_id":"é"}"#, "request_id"), ("[]", "body"),
        ]
        try await h.test { client in
            for body in accepted {
                let r = try await client.call("/api/tasks", .post, token: token, body: body)
                #expect(r.status == .created, "\(body.prefix(60)) → \(r.status.code) \(r.text.prefix(200))")
            }
            for (body, field) in refused {
                let r = try await client.call("/api/tasks", .post, token: token, body: body)
                #expect(r.status == .unprocessableContent, "\(body.prefix(60)) → \(r.status.code)")
                #expect(r.json["error"]?["field"]?.stringValue == field, "\(body.prefix(60)) → \(r.text.prefix(200))")
            }
            let id = try #require(try await client.call("/api/tasks", .post, token: token, body: #"{"title":"p"}"#).json["id"]?.stringValue)
            for body in [#"{}"#, #"{"other":true}"#, #"{"completed":null}"#, #"{"title":"\#(max)x"}"#] {
                #expect(try await client.call("/api/tasks/\(id)", .patch, token: token, body: body).status == .unprocessableContent, "\(body.prefix(40))")
            }
            #expect(try await client.call("/api/tasks/\(id)", .patch, token: token, body: #"{"title":"\#(max)"}"#).status == .ok)
        }
    }
}
