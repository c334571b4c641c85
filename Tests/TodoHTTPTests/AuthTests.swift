import Testing
import HummingbirdTesting
import HTTPTypes
import ChatKitProtocol
import TodoAuth
import TodoCore
import TodoHTTP
import Foundation

// MARK: - Authentication rules

@Suite("HTTP authentication")
struct AuthTests {
    static let list = #"{"type":"threads.list","params":{}}"#

    @Test("No token, alg none, another key, expired, missing sub, garbage: all 401 JSON")
    func badTokensAre401() async throws {
        let h = try await HTTPTestHarness.make()
        let now = Int(SystemWallClock().now().secondsSinceEpoch)
        let other = try AuthService(secret: Array("another-secret-0123456789abcdef-01234".utf8), clock: SystemWallClock())
        let wrongKey = try await other.issueToken(for: try UserID("alice"), ttlSeconds: 3600)
        let expired = await h.auth.signRawPayloadForTesting(#"{"sub":"alice","exp":\#(now - 10)}"#)
        let noSub = await h.auth.signRawPayloadForTesting(#"{"exp":\#(now + 3600)}"#)
        let noExp = await h.auth.signRawPayloadForTesting(#"{"sub":"alice"}"#)
        let badSub = await h.auth.signRawPayloadForTesting(#"{"sub":"../etc","exp":\#(now + 3600)}"#)
        let good = await h.auth.signRawPayloadForTesting(#"{"sub":"alice","exp":\#(now + 3600)}"#)
        // alg none: header {"alg":"none","typ":"JWT"}, the good payload, empty signature.
        let payload = good.split(separator: ".")[1]
        let algNone = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.\(payload)."
        // HS512 header with a valid-looking payload.
        let hs512 = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.\(payload).\(good.split(separator: ".")[2])"
        try await h.test { client in
            let none = try await client.call("/api/chatkit", .post, body: Self.list)
            #expect(none.status == .unauthorized)
            #expect(none.json["error"]?["code"]?.stringValue == "unauthorized")
            for (name, token) in [("wrong key", wrongKey), ("expired", expired), ("no sub", noSub), ("no exp", noExp), ("bad sub", badSub),
                                  ("alg none", algNone), ("HS512", hs512), ("garbage", "not.a.jwt")] {
                let r = try await client.chatkit(Self.list, token: token)
                #expect(r.status == .unauthorized, "\(name)")
                #expect(r.headers[.contentType] == "application/json", "\(name)")
            }
            let basic = try await client.call("/api/tasks", .get, headers: [.authorization: "Basic YWxpY2U6eA=="])
            #expect(basic.status == .unauthorized)
            let ok = try await client.chatkit(Self.list, token: good)
            #expect(ok.status == .ok, "a correctly signed HS256 token with sub and exp is accepted")
            #expect(ok.headers[.accessControlAllowOrigin] == nil, "no CORS headers")
        }
    }

    @Test("Another user's thread and task ids answer 404, exactly like missing ones")
    func otherUsersIDsAre404() async throws {
        let h = try await HTTPTestHarness.make()
        let alice = try await h.token("alice")
        let bob = try await h.token("bob")
        try await h.test { client in
            let created = try await client.chatkit(ChatKitGoldenTests.create, token: alice)
            let thread = try #require(created.events.first?["thread"]?["id"]?.stringValue)
            let task = try await client.call("/api/tasks", .post, token: alice, body: #"{"title":"secret"}"#)
            let taskID = try #require(task.json["id"]?.stringValue)
            for body in [#"{"type":"threads.get_by_id","params":{"thread_id":"\#(thread)"}}"#,
                         #"{"type":"items.list","params":{"thread_id":"\#(thread)"}}"#,
                         #"{"type":"threads.delete","params":{"thread_id":"\#(thread)"}}"#,
                         ChatKitGoldenTests.addMessage(thread, "hi")] {
                let theirs = try await client.chatkit(body, token: bob)
                let missing = try await client.chatkit(body.replacingOccurrences(of: thread, with: "thr_000000000000"), token: bob)
                #expect(theirs.status == .notFound)
                #expect(theirs.json["error"]?["code"] == missing.json["error"]?["code"])
            }
            let listed = try await client.chatkit(Self.list, token: bob)
            #expect(listed.text == #"{"data":[],"has_more":false}"#)
            for (uri, method) in [("/api/tasks/\(taskID)", HTTPRequest.Method.get), ("/api/tasks/\(taskID)", .delete), ("/api/tasks/\(taskID)/complete", .post)] {
                let theirs = try await client.call(uri, method, token: bob)
                #expect(theirs.status == .notFound)
                let missing = try await client.call(uri.replacingOccurrences(of: taskID, with: "t_missing"), method, token: bob)
                #expect(theirs.status == missing.status)
                #expect(theirs.json["error"]?["code"] == missing.json["error"]?["code"])
            }
            let still = try await client.call("/api/tasks/\(taskID)", .get, token: alice)
            #expect(still.status == .ok, "bob's attempts changed nothing")
        }
    }

    @Test("One-time code → HttpOnly SameSite=Strict cookie; replay 401; foreign Origin 403; logout ends it")
    func cookieFlow() async throws {
        let h = try await HTTPTestHarness.make()
        let code = await h.auth.makeLoginCode(for: try UserID("alice"))
        let origin = "http://\(HTTPTestHarness.authority)"
        try await h.test { client in
            let login = try await client.call("/api/session", .post, headers: [.origin: origin], body: #"{"code":"\#(code)"}"#)
            #expect(login.status == .ok)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            let session = String(setCookie.split(separator: ";")[0])
            let replay = try await client.call("/api/session", .post, headers: [.origin: origin], body: #"{"code":"\#(code)"}"#)
            #expect(replay.status == .unauthorized, "a code works once")

            let me = try await client.call("/api/session", .get, headers: [.cookie: session])
            #expect(me.json["user"]?.stringValue == "alice")
            let create = #"{"title":"via cookie"}"#
            let foreign = try await client.call("/api/tasks", .post, headers: [.cookie: session, .origin: "http://evil.example"], body: create)
            #expect(foreign.status == .forbidden)
            let noOrigin = try await client.call("/api/tasks", .post, headers: [.cookie: session], body: create)
            #expect(noOrigin.status == .forbidden, "cookie-authenticated writes need our Origin")
            let ours = try await client.call("/api/tasks", .post, headers: [.cookie: session, .origin: origin], body: create)
            #expect(ours.status == .created)
            let chat = try await client.call("/api/chatkit", .post, headers: [.cookie: session, .origin: "http://127.0.0.1:9999"], body: Self.list)
            #expect(chat.status == .forbidden)

            let logout = try await client.call("/api/session/logout", .post, headers: [.cookie: session, .origin: origin])
            #expect(logout.status == .ok)
            let after = try await client.call("/api/tasks", .get, headers: [.cookie: session])
            #expect(after.status == .unauthorized, "the session ended server-side")
        }
    }

    @Test("An expired login code is refused")
    func expiredCode() async throws {
        let clock = ManualWallClock()
        let auth = try AuthService(secret: HTTPTestHarness.secret, clock: clock)
        let code = await auth.makeLoginCode(for: try UserID("alice"))
        clock.advance(milliseconds: 61_000)
        await #expect(throws: AuthError.invalidCode) { try await auth.redeemLoginCode(code) }
    }

    @Test("The secret file is created 0600 with 64 hex characters and reused")
    func secretFile() async throws {
        let h = try await HTTPTestHarness.make()
        let a = try AuthService.load(dataDirectory: h.directory, environmentSecret: nil, clock: SystemWallClock())
        let token = try await a.issueToken(for: try UserID("alice"), ttlSeconds: 60)
        let b = try AuthService.load(dataDirectory: h.directory, environmentSecret: nil, clock: SystemWallClock())
        #expect(try await b.verifyToken(token).rawValue == "alice")
        let attributes = try FileManager.default.attributesOfItem(atPath: h.directory + "/auth-secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: AuthError.weakSecret) { try AuthService.load(dataDirectory: h.directory, environmentSecret: "short", clock: SystemWallClock()) }
    }
}
