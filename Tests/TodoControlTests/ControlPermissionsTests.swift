import Testing
import TodoControl
import TodoCore

// MARK: - The permission table

@Suite("ControlPermissions: which role each method needs")
struct ControlPermissionsTests {
    static let alice = try! UserID("alice")
    static let member = ControlPeer(credentials: PeerCredentials(pid: 42, uid: 1001, gid: 1001), user: alice, isPrivileged: false)
    static let root = ControlPeer(credentials: PeerCredentials(pid: 1, uid: 0, gid: 0), user: try! UserID("root"), isPrivileged: true)
    static let id = try! TaskID("t_abc")

    /// Every method any admitted peer may call (scoped to its own user by the handler).
    static let selfService: [ControlRequest] = [
        .status, .addTask(AddTaskParams(title: "x")), .listTasks(ListTasksParams()), .getTask(TaskIDParams(id: id)),
        .updateTask(UpdateTaskParams(id: id, title: "y")), .completeTask(CompleteTaskParams(id: id)), .deleteTask(TaskIDParams(id: id)), .undoTask,
        .issueToken(IssueTokenParams()), .issueToken(IssueTokenParams(user: alice)), .loginCode, .subscribe,
        .export, .importData(ImportParams(data: .null)), .exportICS, .importICS(ImportICSParams(text: "")),
    ]
    /// Every method that needs the operator role.
    static let operatorOnly: [ControlRequest] = [
        .compact, .shutdown, .backup(BackupParams(directory: "/tmp/x")), .issueToken(IssueTokenParams(user: try! UserID("bob"))),
    ]

    @Test(arguments: selfService)
    func selfServiceIsOpenToMembers(_ request: ControlRequest) {
        #expect(ControlPermissions.refusal(for: request, peer: Self.member) == nil)
        #expect(ControlPermissions.refusal(for: request, peer: Self.root) == nil)
    }

    @Test(arguments: operatorOnly)
    func operatorMethodsAreRefusedToMembers(_ request: ControlRequest) throws {
        let refusal = try #require(ControlPermissions.refusal(for: request, peer: Self.member))
        #expect(refusal.code == RPCError.forbiddenCode)
        #expect(refusal.message.contains(request.method))
        #expect(refusal.message.contains("operator"))
        #expect(refusal.message.contains("uid 1001"))
        #expect(refusal.data?.requiredRole == "operator")
        #expect(ControlPermissions.refusal(for: request, peer: Self.root) == nil)
    }

    @Test func everyMethodIsInTheTable() {
        let methods = Set((Self.selfService + Self.operatorOnly).map(\.method))
        #expect(methods.count == 18, "a new method needs a row here and in ControlPermissions: \(methods.sorted())")
        #expect(Self.member.role == .member && Self.root.role == .operator)
    }
}
