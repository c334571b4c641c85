// MARK: - Roles

/// What a control-socket peer may do. Every admitted peer is at least a `.member`; root and the daemon's own
/// uid are `.operator`s (tailscale's localapi `PermitRead`/`PermitWrite` is the model).
public enum ControlRole: String, Sendable, Hashable, Codable, Comparable {
    /// An allowed peer: its own tasks, threads, tokens, sign-in codes, events, and export/import/backup of
    /// its own data only.
    case member
    /// Root or the daemon's uid: every user's data, compaction, shutdown, tokens for other users.
    case `operator`

    public static func < (lhs: ControlRole, rhs: ControlRole) -> Bool { lhs == .member && rhs == .operator }
}

// MARK: - Permission table

/// The one table the dispatcher consults before any method runs. A method is either open to every admitted
/// peer (scoped to the peer's own user by the handler) or needs the operator role.
public enum ControlPermissions {
    /// Why a request needs a role, for the refusal message.
    public struct Requirement: Sendable, Hashable {
        /// The role needed.
        public var role: ControlRole
        /// What the role is needed for (`"to stop the daemon"`).
        public var purpose: String
    }

    /// What `request` needs from `peer`, or nil when any admitted peer may make it.
    /// - Parameters:
    ///   - request: the decoded request.
    ///   - peer: who asks.
    public static func requirement(for request: ControlRequest, peer: ControlPeer) -> Requirement? {
        switch request {
        case .status, .addTask, .listTasks, .getTask, .updateTask, .completeTask, .deleteTask, .undoTask, .loginCode, .subscribe:
            return nil
        case .export, .importData, .exportICS, .importICS:
            return nil  // scoped: a member exports its own data and imports only into its own user
        case .issueToken(let params):
            guard let other = params.user, other != peer.user else { return nil }
            return Requirement(role: .operator, purpose: "to issue a token for another user ('\(other)')")
        case .backup:
            return Requirement(role: .operator, purpose: "to have the daemon write a backup of the data directory")
        case .compact:
            return Requirement(role: .operator, purpose: "to compact every user's files")
        case .shutdown:
            return Requirement(role: .operator, purpose: "to stop the daemon")
        }
    }

    /// The forbidden error for `request`, or nil when `peer` may make it.
    /// - Parameters:
    ///   - request: the decoded request.
    ///   - peer: who asks.
    public static func refusal(for request: ControlRequest, peer: ControlPeer) -> RPCError? {
        guard let need = requirement(for: request, peer: peer), peer.role < need.role else { return nil }
        return RPCError(
            code: RPCError.forbiddenCode,
            message: "forbidden: \(request.method) needs the \(need.role.rawValue) role (root or the daemon's user) \(need.purpose); "
                + "uid \(peer.credentials.uid) ('\(peer.user)') is a \(peer.role.rawValue)",
            data: RPCErrorData(requiredRole: need.role.rawValue))
    }
}
