import Testing
import TodoControl
import TodoCore

// MARK: - Access policy (no I/O)

struct FakeAccounts: AccountDirectory {
    var names: [UInt32: String] = [1000: "alice", 1001: "bob"]
    var memberships: [UInt32: Set<UInt32>] = [1001: [1001, 50]]
    func userName(uid: UInt32) -> String? { names[uid] }
    func groups(uid: UInt32, primaryGID: UInt32) -> Set<UInt32> { (memberships[uid] ?? []).union([primaryGID]) }
    func groupID(named name: String) -> UInt32? { name == "todo" ? 50 : nil }
    func groupName(gid: UInt32) -> String? { gid == 50 ? "todo" : nil }
}

@Suite("Peer policy")
struct PeerPolicyTests {
    let accounts = FakeAccounts()

    @Test func rootAndTheDaemonUIDAreAlwaysAllowed() {
        let policy = PeerPolicy(daemonUID: 1000)
        #expect(policy.allows(PeerCredentials(pid: 1, uid: 0, gid: 0), accounts: accounts))
        #expect(policy.allows(PeerCredentials(pid: 1, uid: 1000, gid: 1000), accounts: accounts))
        #expect(!policy.allows(PeerCredentials(pid: 1, uid: 1001, gid: 1001), accounts: accounts))
    }

    @Test func groupMembersAreAllowedBySupplementaryOrPrimaryGroup() {
        let policy = PeerPolicy(daemonUID: 1000, allowedGID: 50)
        #expect(policy.allows(PeerCredentials(pid: 1, uid: 1001, gid: 1001), accounts: accounts))
        #expect(policy.allows(PeerCredentials(pid: 1, uid: 2000, gid: 50), accounts: accounts))
        #expect(!policy.allows(PeerCredentials(pid: 1, uid: 2000, gid: 2000), accounts: accounts))
    }

    @Test func usersAreLoginNamesOrUIDNames() throws {
        #expect(PeerPolicy.user(for: PeerCredentials(pid: 1, uid: 1000, gid: 1), accounts: accounts) == (try UserID("alice")))
        #expect(PeerPolicy.user(for: PeerCredentials(pid: 1, uid: 4242, gid: 1), accounts: accounts) == (try UserID("uid-4242")))
    }

    @Test func accessUpdatesApplyToNewPeers() {
        let access = ControlAccess(policy: PeerPolicy(daemonUID: 1000), accounts: accounts)
        let bob = PeerCredentials(pid: 1, uid: 1001, gid: 1001)
        #expect(access.admit(bob) == nil)
        access.update(PeerPolicy(daemonUID: 1000, allowedGID: 50))
        #expect(access.admit(bob)?.user.rawValue == "bob")
        #expect(access.admit(bob)?.isPrivileged == false)
        #expect(access.admit(PeerCredentials(pid: 1, uid: 0, gid: 0))?.isPrivileged == true)
    }
}
