import Testing
import Crypto
import Foundation
import TodoAuth
import TodoCore
import TodoStore

// MARK: - Browser sessions on disk

@Suite("Browser sessions on disk")
struct SessionPersistenceTests {
    static let alice = try! UserID("alice")

    /// A disk with the data directory `/data`, and an `AuthService` over its session file.
    static func service(_ disk: SimulatedDisk, clock: any WallClock, secret: [UInt8] = HTTPTestHarness.secret) throws -> AuthService {
        try AuthService(secret: secret, clock: clock, sessions: try repository(disk, clock: clock))
    }

    /// The session repository over `/data/sessions.json` on `disk` (the directory is created when missing).
    static func repository(_ disk: SimulatedDisk, clock: any WallClock) throws -> FileSessionRepository {
        if !disk.exists("/data") {
            try disk.createDirectory("/data")
            try disk.fsyncDirectory("/")  // as the store does: the data directory itself survives a crash
        }
        return try FileSessionRepository(file: SessionFile(directory: "/data", backend: disk), clock: clock)
    }

    /// Signs `user` in with a fresh login code; returns the cookie value.
    static func signIn(_ auth: AuthService, _ user: UserID = alice) async throws -> String {
        let code = await auth.makeLoginCode(for: user)
        return try await auth.redeemLoginCode(code).sessionID
    }

    @Test("A session survives a restart, even a power cut right after sign-in")
    func survivesRestartAndCrash() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let cookie = try await Self.signIn(try Self.service(disk, clock: clock))
        disk.crash()
        let restarted = try Self.service(disk, clock: clock)
        #expect(try await restarted.user(forSession: cookie) == Self.alice)
        #expect(try await restarted.user(forSession: cookie + "0") == nil)
    }

    @Test("The file holds neither the cookie value nor its plain SHA-256, only a keyed digest")
    func fileNeverHoldsTheCookie() async throws {
        let disk = SimulatedDisk()
        let cookie = try await Self.signIn(try Self.service(disk, clock: ManualWallClock()))
        let text = String(decoding: try disk.read("/data/" + SessionFile.name), as: UTF8.self)
        #expect(!text.isEmpty)
        #expect(!text.contains(cookie))
        let plain = SHA256.hash(data: Array(cookie.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(!text.contains(plain))
        #expect(text.contains("\"alice\""))
    }

    @Test("A copied session file is useless under another key")
    func otherKeyRejectsTheFile() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let cookie = try await Self.signIn(try Self.service(disk, clock: clock))
        let repository = try Self.repository(disk, clock: clock)
        let other = try AuthService(secret: Array("another-secret-0123456789abcdef-01234".utf8), clock: clock, sessions: repository)
        #expect(await repository.liveCount(nowMs: clock.now().millisecondsSinceEpoch) == 1, "the file was read")
        #expect(try await other.user(forSession: cookie) == nil)
    }

    @Test("Sign-out revokes the session now and after a restart")
    func signOutIsDurable() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let auth = try Self.service(disk, clock: clock)
        let cookie = try await Self.signIn(auth)
        let other = try await Self.signIn(auth, try UserID("bob"))
        try await auth.endSession(cookie)
        #expect(try await auth.user(forSession: cookie) == nil)
        disk.crash()
        let restarted = try Self.service(disk, clock: clock)
        #expect(try await restarted.user(forSession: cookie) == nil)
        #expect(try await restarted.user(forSession: other)?.rawValue == "bob")
    }

    @Test("A session expires after sessionTTL, also across a restart, and leaves the file at the next save")
    func expiry() async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let auth = try Self.service(disk, clock: clock)
        let cookie = try await Self.signIn(auth)
        clock.advance(milliseconds: AuthService.sessionTTL * 1000 - 1000)
        #expect(try await auth.user(forSession: cookie) == Self.alice)
        clock.advance(milliseconds: 1000)
        #expect(try await auth.user(forSession: cookie) == nil)
        let repository = try Self.repository(disk, clock: clock)
        let restarted = try AuthService(secret: HTTPTestHarness.secret, clock: clock, sessions: repository)
        #expect(try await restarted.user(forSession: cookie) == nil)
        #expect(await repository.liveCount(nowMs: clock.now().millisecondsSinceEpoch) == 0)
        _ = try await Self.signIn(restarted, try UserID("bob"))
        let text = String(decoding: try disk.read("/data/" + SessionFile.name), as: UTF8.self)
        #expect(!text.contains("\"alice\""), "the expired session was dropped: \(text)")
    }

    @Test("When the session cannot be saved, sign-in fails and the cookie is not valid", arguments: [
        SimulatedDisk.Operation.write, .fsync, .rename,
    ])
    func failedSaveRefusesSignIn(operation: SimulatedDisk.Operation) async throws {
        let disk = SimulatedDisk()
        let clock = ManualWallClock()
        let repository = try Self.repository(disk, clock: clock)
        let auth = try AuthService(secret: HTTPTestHarness.secret, clock: clock, sessions: repository)
        let code = await auth.makeLoginCode(for: Self.alice)
        disk.injectFault(.eio, at: 1, operation: operation)
        await #expect(throws: AuthError.self) { _ = try await auth.redeemLoginCode(code) }
        #expect(await repository.liveCount(nowMs: clock.now().millisecondsSinceEpoch) == 0)
    }

    @Test("A damaged session file is a clear error naming the file")
    func damagedFile() throws {
        let disk = SimulatedDisk()
        try disk.createDirectory("/data")
        let file = try disk.open("/data/" + SessionFile.name, mode: .append)
        try disk.write(file, Array("not json".utf8))
        disk.close(file)
        do {
            _ = try Self.service(disk, clock: ManualWallClock())
            Issue.record("a damaged file was accepted")
        } catch let error as AuthError {
            #expect(error.message.contains(SessionFile.name))
        }
    }

    @Test("On a real disk the file is mode 0600 and no temp file is left")
    func realFileMode() async throws {
        let directory = NSTemporaryDirectory() + "todod-sessions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let auth = try AuthService.load(dataDirectory: directory, environmentSecret: nil, clock: SystemWallClock())
        let cookie = try await Self.signIn(auth)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + SessionFile.name)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + SessionFile.name + ".tmp"))
        let again = try AuthService.load(dataDirectory: directory, environmentSecret: nil, clock: SystemWallClock())
        #expect(try await again.user(forSession: cookie) == Self.alice)
    }
}
