public import TodoCore
import Synchronization

// MARK: - Peer

/// The authenticated caller of one connection.
public struct ControlPeer: Sendable, Hashable {
    /// Its `SO_PEERCRED` credentials.
    public var credentials: PeerCredentials
    /// The user it acts as (its login name).
    public var user: UserID
    /// Whether it is root or the daemon's own uid (may act for other users, for example in `token.issue`).
    public var isPrivileged: Bool
    /// Its role: `.operator` when privileged, else `.member`.
    public var role: ControlRole { isPrivileged ? .operator : .member }

    /// - Parameters:
    ///   - credentials: the peer's credentials.
    ///   - user: the user it acts as.
    ///   - isPrivileged: whether it is root or the daemon's uid.
    public init(credentials: PeerCredentials, user: UserID, isPrivileged: Bool) {
        self.credentials = credentials
        self.user = user
        self.isPrivileged = isPrivileged
    }
}

// MARK: - Reply

/// What a handler answers: a result to encode, or an error; plus an optional action to run once the
/// response has been written (used by `shutdown`).
public struct ControlReply: Sendable {
    enum Outcome: Sendable {
        case result(any Encodable & Sendable)
        case failure(RPCError)
    }

    let outcome: Outcome
    let afterResponse: (@Sendable () async -> Void)?

    /// A successful reply.
    /// - Parameters:
    ///   - value: the method's result.
    ///   - afterResponse: runs after the response is written.
    public static func result(_ value: some Encodable & Sendable, afterResponse: (@Sendable () async -> Void)? = nil) -> ControlReply {
        ControlReply(outcome: .result(value), afterResponse: afterResponse)
    }

    /// An error reply.
    /// - Parameter error: the JSON-RPC error.
    public static func failure(_ error: RPCError) -> ControlReply {
        ControlReply(outcome: .failure(error), afterResponse: nil)
    }

    /// The error, when this is an error reply.
    public var error: RPCError? {
        if case .failure(let error) = outcome { return error }
        return nil
    }
}

// MARK: - Handler

/// Executes decoded requests. `TodoDaemon` implements it over the store; tests use small fakes.
public protocol ControlHandler: Sendable {
    /// Handles one request (never `.subscribe`, which the server handles with `events(for:)`).
    /// - Parameters:
    ///   - request: the decoded request.
    ///   - peer: who asked.
    func handle(_ request: ControlRequest, from peer: ControlPeer) async -> ControlReply

    /// Task changes for a subscriber; the server sends each as an `events.task` notification.
    /// - Parameter peer: the subscriber (sees its own user's changes, or all when privileged).
    func events(for peer: ControlPeer) -> AsyncStream<TaskChange>
}

// MARK: - Access control

/// The current access policy; reloadable (SIGHUP can change the allowed group while connections are open).
public final class ControlAccess: Sendable {
    private let state: Mutex<PeerPolicy>
    private let accounts: any AccountDirectory

    /// - Parameters:
    ///   - policy: the initial policy.
    ///   - accounts: the account lookups.
    public init(policy: PeerPolicy, accounts: any AccountDirectory = SystemAccountDirectory()) {
        self.state = Mutex(policy)
        self.accounts = accounts
    }

    /// The current policy.
    public var policy: PeerPolicy { state.withLock { $0 } }

    /// Replaces the policy (for new connections).
    /// - Parameter policy: the new policy.
    public func update(_ policy: PeerPolicy) { state.withLock { $0 = policy } }

    /// Why `credentials` may not connect, for the refusal line: names who may (and the group to join).
    /// - Parameter credentials: the refused peer's credentials.
    public func refusalMessage(for credentials: PeerCredentials) -> String {
        let policy = self.policy
        var who = "root and the daemon's uid (\(policy.daemonUID))"
        if let gid = policy.allowedGID {
            let name = accounts.groupName(gid: gid) ?? "gid \(gid)"
            who += " and members of the group '\(name)' (ask an administrator to add you, then log in again)"
        }
        return "permission denied: uid \(credentials.uid) is not allowed to use this control socket; only \(who) may"
    }

    /// The peer for `credentials`, or nil when it may not connect.
    /// - Parameter credentials: the peer's credentials.
    public func admit(_ credentials: PeerCredentials) -> ControlPeer? {
        let policy = self.policy
        guard policy.allows(credentials, accounts: accounts) else { return nil }
        let privileged = credentials.uid == 0 || credentials.uid == policy.daemonUID
        return ControlPeer(credentials: credentials, user: PeerPolicy.user(for: credentials, accounts: accounts), isPrivileged: privileged)
    }
}
