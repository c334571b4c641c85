import Logging
import Testing
@testable import TodoControl
import TodoCore
@testable import TodoDaemon
import TodoStore
import TodoTesting

// MARK: - Control answers for a store that is unreachable or cannot do maintenance

@Suite("Control socket: store errors")
struct ControlStoreErrorTests {
    static let peer = ControlPeer(credentials: PeerCredentials(pid: 1, uid: 0, gid: 0), user: try! UserID("alice"), isPrivileged: true)

    /// A handler over a file store on a simulated disk, wrapped in the double.
    static func handler(refusesMaintenance: Bool = false) async throws -> (DaemonControlHandler, UnreachableDataStore) {
        let disk = SimulatedDisk()
        try disk.createDirectory("/data")
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let inner = try await Store.open(directory: "/data", backend: disk, clock: ManualWallClock(), logger: logger)
        let store = UnreachableDataStore(wrapping: inner, refusesMaintenance: refusesMaintenance)
        let runtime = DaemonRuntime(
            dataDirectory: "/data", controlListener: "/tmp/x.sock", httpListener: nil, httpBaseURL: nil,
            access: ControlAccess(policy: PeerPolicy(daemonUID: 0)), settings: .init(chatRateLimit: 20, tokenTTLSeconds: 60))
        let handler = DaemonControlHandler(store: store, auth: nil, runtime: runtime, clock: ManualWallClock(), shutdown: {}, logger: logger)
        return (handler, store)
    }

    @Test("An unreachable store answers JSON-RPC -32002 and the call changes nothing")
    func unreachableIsMinus32002() async throws {
        let (handler, store) = try await Self.handler()
        #expect(await handler.handle(.addTask(AddTaskParams(title: "before")), from: Self.peer).error == nil)
        store.isUnreachable = true
        let reply = await handler.handle(.addTask(AddTaskParams(title: "during")), from: Self.peer)
        let error = try #require(reply.error)
        #expect(error.code == RPCError.unavailableCode)
        #expect(error.message.contains(UnreachableDataStore.message))
        #expect(await handler.handle(.status, from: Self.peer).error?.code == RPCError.unavailableCode)
        store.isUnreachable = false
        let tasks = try await store.tasks(for: Self.peer.user, filter: .all)
        #expect(tasks.map(\.title) == ["before"])
        await store.close()
    }

    @Test("compact and backup on a store that cannot: a conflict error naming the operation and the reason")
    func maintenanceRefused() async throws {
        let (handler, store) = try await Self.handler(refusesMaintenance: true)
        let compact = try #require(await handler.handle(.compact, from: Self.peer).error)
        #expect(compact.code == RPCError.conflictCode)
        #expect(compact.message.hasPrefix("compaction is not available for this store: "))
        #expect(compact.message.contains("autovacuum"))
        let backup = try #require(await handler.handle(.backup(BackupParams(directory: "/backup")), from: Self.peer).error)
        #expect(backup.code == RPCError.conflictCode)
        #expect(backup.message.hasPrefix("backup is not available for this store: "))
        #expect(backup.message.contains("pg_dump"))
        await store.close()
    }

    @Test("status names the store's location")
    func statusNamesTheLocation() async throws {
        let (handler, store) = try await Self.handler()
        let reply = await handler.handle(.status, from: Self.peer)
        #expect(reply.error == nil)
        guard case .result(let value) = reply.outcome, let status = value as? StatusResult else {
            Issue.record("status did not answer a StatusResult")
            return
        }
        #expect(status.storeLocation == "test-double:/data")
        #expect(status.dataDirectory == "/data")
        await store.close()
    }
}
