import ChatKitProtocol
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TodoAuth
import TodoCore
import TodoStore

// MARK: - FileSessionRepository

@Suite("FileSessionRepository: durability")
struct FileSessionRepositoryTests {
    static func session(_ n: Int, user: String = "alice", expiresMs: Int64 = 4_000_000_000_000) -> StoredSession {
        StoredSession(digest: String(format: "%064x", n), user: user, expiresMs: expiresMs)
    }

    static func reopen(_ disk: SimulatedDisk, clock: any WallClock) throws -> FileSessionRepository {
        try SessionPersistenceTests.repository(disk, clock: clock)
    }

    @Test("Concurrent saves: every acknowledged session is on disk after a power cut (no older snapshot wins)")
    func concurrentSavesAreAllDurable() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let repository = try Self.reopen(disk, clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<40 { group.addTask { try await repository.saveSession(Self.session(n)) } }
            try await group.waitForAll()
        }
        disk.crash()
        let restarted = try Self.reopen(disk, clock: clock)
        #expect(await restarted.liveCount(nowMs: 0) == 40)
        for n in [0, 17, 39] {
            #expect(try await restarted.session(digest: Self.session(n).digest, nowMs: 0) == Self.session(n))
        }
    }

    @Test("A delete is durable; an unknown digest writes nothing")
    func deleteIsDurable() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let repository = try Self.reopen(disk, clock: clock)
        try await repository.deleteSession(digest: Self.session(9).digest)
        #expect(!disk.exists("/data/" + SessionFile.name), "nothing to delete, nothing written")
        try await repository.saveSession(Self.session(1))
        try await repository.saveSession(Self.session(2, user: "bob"))
        try await repository.deleteSession(digest: Self.session(1).digest)
        #expect(try await repository.session(digest: Self.session(1).digest, nowMs: 0) == nil)
        disk.crash()
        let restarted = try Self.reopen(disk, clock: clock)
        #expect(try await restarted.session(digest: Self.session(1).digest, nowMs: 0) == nil)
        #expect(try await restarted.session(digest: Self.session(2).digest, nowMs: 0)?.user == "bob")
    }

    @Test("A failed save undoes the new session; a failed delete keeps it refused and reports the error")
    func failedWrites() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let repository = try Self.reopen(disk, clock: clock)
        try await repository.saveSession(Self.session(1))
        disk.injectFault(.eio, at: 1, operation: .fsync)
        await #expect(throws: AuthError.self) { try await repository.saveSession(Self.session(2)) }
        #expect(try await repository.session(digest: Self.session(2).digest, nowMs: 0) == nil)
        disk.injectFault(.eio, at: 1, operation: .fsync)
        await #expect(throws: AuthError.self) { try await repository.deleteSession(digest: Self.session(1).digest) }
        #expect(try await repository.session(digest: Self.session(1).digest, nowMs: 0) == nil)
    }

    @Test("Expired sessions are not loaded, not answered, and leave the file at the next save")
    func expiry() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let now = clock.now().millisecondsSinceEpoch
        let repository = try Self.reopen(disk, clock: clock)
        try await repository.saveSession(Self.session(1, expiresMs: now + 1000))
        try await repository.saveSession(Self.session(2, user: "bob", expiresMs: now + 5000))
        #expect(try await repository.session(digest: Self.session(1).digest, nowMs: now + 1000) == nil)
        clock.advance(milliseconds: 2000)
        #expect(await (try Self.reopen(disk, clock: clock)).liveCount(nowMs: now + 2000) == 1)
        try await repository.saveSession(Self.session(3, expiresMs: now + 9000))
        let text = String(decoding: try disk.read("/data/" + SessionFile.name), as: UTF8.self)
        #expect(!text.contains(Self.session(1).digest))
        #expect(text.contains(Self.session(2).digest) && text.contains(Self.session(3).digest))
    }

    @Test("Without a file, sessions are kept in memory only")
    func memoryOnly() async throws {
        let repository = try FileSessionRepository(file: nil, clock: ManualWallClock())
        try await repository.saveSession(Self.session(1))
        #expect(try await repository.session(digest: Self.session(1).digest, nowMs: 0)?.user == "alice")
        try await repository.deleteSession(digest: Self.session(1).digest)
        #expect(await repository.liveCount(nowMs: 0) == 0)
    }
}

// MARK: - A session store that is away

/// Sessions in a store that cannot be reached: every call throws `error`.
struct UnreachableSessionRepository: SessionRepository {
    let error: any Error
    func saveSession(_ session: StoredSession) async throws { throw error }
    func session(digest: String, nowMs: Int64) async throws -> StoredSession? { throw error }
    func deleteSession(digest: String) async throws { throw error }
}

private struct ConnectionReset: Error, CustomStringConvertible {
    var description: String { "connection reset by peer" }
}

@Suite("Session lookups when the session store is away")
struct SessionRepositoryUnavailableTests {
    @Test("A cookie request answers 503 store_unavailable JSON (not 401, not 500); bearer tokens still work",
          arguments: [TodoError.unavailable("the database is restarting") as any Error, ConnectionReset()])
    func cookieLookupIs503(error: any Error) async throws {
        var h = try await HTTPTestHarness.make()
        h = HTTPTestHarness(
            directory: h.directory, store: h.store, auth: try AuthService(
                secret: HTTPTestHarness.secret, clock: SystemWallClock(), sessions: UnreachableSessionRepository(error: error)),
            configuration: h.configuration, responder: h.responder, mcp: h.mcp)
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.call("/api/tasks", .get, headers: [.cookie: "todod_session=abcdef"])
            #expect(r.status == .serviceUnavailable)
            #expect(r.headers[.contentType] == "application/json")
            #expect(r.headers[.retryAfter] != nil)
            #expect(r.json["error"]?["code"]?.stringValue == "store_unavailable")
            let ok = try await client.call("/api/tasks", .get, token: token)
            #expect(ok.status == .ok)
            let login = try await client.call("/api/session", .post, body: #"{"code":"nope"}"#)
            #expect(login.status == .unauthorized, "an unknown code is refused before the store is asked")
        }
    }

    @Test("Sign-in whose session cannot be saved: 503 and no cookie")
    func signInWhenAwayIs503() async throws {
        let h0 = try await HTTPTestHarness.make()
        let auth = try AuthService(
            secret: HTTPTestHarness.secret, clock: SystemWallClock(),
            sessions: UnreachableSessionRepository(error: TodoError.unavailable("the database is restarting")))
        let h = HTTPTestHarness(directory: h0.directory, store: h0.store, auth: auth, configuration: h0.configuration, responder: h0.responder, mcp: h0.mcp)
        let code = await auth.makeLoginCode(for: try UserID("alice"))
        try await h.test { client in
            let r = try await client.call("/api/session", .post, body: #"{"code":"\#(code)"}"#)
            #expect(r.status == .serviceUnavailable)
            #expect(r.json["error"]?["code"]?.stringValue == "store_unavailable")
            #expect(r.headers[.setCookie] == nil)
        }
    }
}
