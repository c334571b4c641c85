// Browser sign-in endpoints (for the UI engineer):
//
//   POST /api/session          body {"code": "<one-time code from /login#<code>>"}
//                              → 200 {"user": "<id>"} + Set-Cookie: todod_session=…; HttpOnly; SameSite=Strict; Path=/
//                              → 401 {"error":{…}} when the code is unknown, used or expired (60 s, single use)
//   GET  /api/session          → 200 {"user": "<id>", "via": "cookie"|"bearer"}  (401 when not signed in)
//   POST /api/session/logout   → 200 {} and an expired cookie; ends the session server-side
//
// Cookie-authenticated POST/PATCH/DELETE requests must send `Origin: http://<host:port>` (browsers do)
// and `Content-Type: application/json`; otherwise 403 / 415.

import Hummingbird
import ChatKitProtocol
import TodoAuth
import TodoCore

// MARK: - Session routes

extension HTTPServer {
    static func addSessionRoutes(to router: Router<TodoRequestContext>, auth: AuthService) {
        router.post("/api/session") { request, _ -> Response in
            var request = request
            let body = try await jsonBody(&request, 4096)
            guard let code = body["code"]?.stringValue, !code.isEmpty else { throw HTTPAPIError.validation(field: "code", "`code` is required") }
            let session: (sessionID: String, user: UserID, maxAge: Int64)
            do {
                session = try await auth.redeemLoginCode(code)
            } catch let error as AuthError where error.isUnauthorized {
                throw HTTPAPIError.unauthorized("the login code is invalid, used or expired")
            }
            var response = jsonResponse(.obj(["user": .string(session.user.rawValue)]), headers: [.cacheControl: "no-store"])
            response.setCookie(sessionCookie(session.sessionID, maxAge: Int(session.maxAge)))
            return response
        }
        router.get("/api/session") { _, context -> Response in
            let user = try context.requireUser()
            return jsonResponse(.obj(["user": .string(user.rawValue), "via": context.viaCookie ? "cookie" : "bearer"]), headers: [.cacheControl: "no-store"])
        }
        router.post("/api/session/logout") { _, context -> Response in
            _ = try context.requireUser()
            if let session = context.sessionID { try await auth.endSession(session) }
            var response = jsonResponse(.object([]))
            response.setCookie(sessionCookie("", maxAge: 0))
            return response
        }
    }

    /// The session cookie: HttpOnly, SameSite=Strict, for the whole site; `maxAge` 0 deletes it.
    private static func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: SecurityMiddleware.cookieName, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }
}
