#if canImport(Glibc)
import Glibc
#endif
public import NIOCore
public import TodoCore

// MARK: - Peer credentials

/// Who is on the other end of a Unix socket, from `SO_PEERCRED`. Layout-identical to `struct ucred`
/// (which Swift's Glibc module does not import).
public struct PeerCredentials: Sendable, Hashable {
    /// The peer's process id.
    public var pid: Int32
    /// The peer's user id.
    public var uid: UInt32
    /// The peer's primary group id.
    public var gid: UInt32

    /// - Parameters:
    ///   - pid: process id.
    ///   - uid: user id.
    ///   - gid: group id.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// Reads the credentials of `channel`'s peer.
    /// - Parameter channel: a connected Unix-socket channel.
    public static func of(_ channel: any Channel) async throws -> PeerCredentials {
        guard let provider = channel as? any SocketOptionProvider else {
            throw ControlError.socketSetup("channel does not expose socket options")
        }
        return try await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)
        ).get()
    }
}

// MARK: - Accounts

/// Looks up users and groups: the one system side effect of access control, behind a protocol.
public protocol AccountDirectory: Sendable {
    /// The login name of `uid`, if it has one.
    func userName(uid: UInt32) -> String?
    /// Every group id `uid` belongs to (primary and supplementary).
    func groups(uid: UInt32, primaryGID: UInt32) -> Set<UInt32>
    /// The id of the group called `name`.
    func groupID(named name: String) -> UInt32?
    /// The name of group `gid`, if it has one.
    func groupName(gid: UInt32) -> String?
}

/// The system's accounts (`getpwuid_r`, `getgrouplist`, `getgrnam_r`).
public struct SystemAccountDirectory: AccountDirectory {
    public init() {}

    public func userName(uid: UInt32) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    public func groups(uid: UInt32, primaryGID: UInt32) -> Set<UInt32> {
        guard let name = userName(uid: uid) else { return [primaryGID] }
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, primaryGID, &list, &count) < 0 {
            list = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, primaryGID, &list, &count)
        }
        return Set(list.prefix(Int(max(count, 0)))).union([primaryGID])
    }

    public func groupID(named name: String) -> UInt32? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return grp.gr_gid
    }

    public func groupName(gid: UInt32) -> String? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrgid_r(gid, &grp, &buffer, buffer.count, &result) == 0, result != nil, let name = grp.gr_name else { return nil }
        return String(cString: name)
    }
}

// MARK: - Policy

/// Who may use the control socket: the daemon's own uid, root, and members of one optional group.
public struct PeerPolicy: Sendable, Hashable {
    /// The daemon's uid.
    public var daemonUID: UInt32
    /// The group whose members may connect, if any.
    public var allowedGID: UInt32?

    /// - Parameters:
    ///   - daemonUID: the daemon's uid.
    ///   - allowedGID: the allowed group's id.
    public init(daemonUID: UInt32, allowedGID: UInt32? = nil) {
        self.daemonUID = daemonUID
        self.allowedGID = allowedGID
    }

    /// Whether `peer` may connect.
    /// - Parameters:
    ///   - peer: the peer's credentials.
    ///   - accounts: where to look up its groups.
    public func allows(_ peer: PeerCredentials, accounts: some AccountDirectory) -> Bool {
        if peer.uid == 0 || peer.uid == daemonUID { return true }
        guard let allowedGID else { return false }
        return peer.gid == allowedGID || accounts.groups(uid: peer.uid, primaryGID: peer.gid).contains(allowedGID)
    }

    /// The user id a peer acts as: its login name, or `uid-N` when it has none (or it is not a valid id).
    /// - Parameters:
    ///   - peer: the peer's credentials.
    ///   - accounts: where to look up its name.
    public static func user(for peer: PeerCredentials, accounts: some AccountDirectory) -> UserID {
        if let name = accounts.userName(uid: peer.uid), let id = try? UserID(name) { return id }
        return (try? UserID("uid-\(peer.uid)")) ?? (try! UserID("unknown"))  // "uid-N" is always valid
    }
}
