import Foundation
import Logging
import TodoAuth
import TodoControl
import TodoCore
import TodoStore

// MARK: - Control handler

/// Executes control-socket requests against the store and the auth service.
struct DaemonControlHandler: ControlHandler {
    let store: any DataStore
    let auth: AuthService?
    let runtime: DaemonRuntime
    let clock: any WallClock
    let shutdown: @Sendable () async -> Void
    let logger: Logger
    /// The daemon's metrics, for the headline figures of `status` (none without).
    var metrics: DaemonMetrics?

    func handle(_ request: ControlRequest, from peer: ControlPeer) async -> ControlReply {
        do {
            return try await perform(request, peer: peer)
        } catch {
            let rpc = Self.rpcError(error)
            if rpc.code == RPCError.serverErrorCode || rpc.code == RPCError.internalErrorCode {
                logger.error("control request failed", metadata: ["todo.rpc.method": "\(request.method)", "todo.error": "\(error)"])
            }
            return .failure(rpc)
        }
    }

    func events(for peer: ControlPeer) -> AsyncStream<TaskChange> {
        store.changes(for: peer.user)
    }

    // MARK: Methods

    private func perform(_ request: ControlRequest, peer: ControlPeer) async throws -> ControlReply {
        let user = peer.user
        switch request {
        case .status:
            return .result(try await status(for: peer))
        case .addTask(let p):
            let draft = try ControlTaskMapping.draft(p, in: try context(p.timeZone))
            return .result(try await store.addTask(draft, for: user, requestID: p.requestID))
        case .listTasks(let p):
            let context = try context(p.timeZone)
            let query = try ControlTaskMapping.query(p, in: context)
            return .result(TaskListResult(tasks: try await store.tasks(for: user, query: query, context: context)))
        case .getTask(let p):
            return .result(try await store.task(p.id, for: user))
        case .updateTask(let p):
            let patch = try ControlTaskMapping.patch(p, in: try context(p.timeZone))
            return .result(try await store.updateTask(p.id, patch, for: user, requestID: p.requestID))
        case .completeTask(let p):
            return .result(try await store.updateTask(p.id, TaskPatch(completed: p.completed ?? true), for: user, requestID: p.requestID))
        case .deleteTask(let p):
            return .result(try await store.deleteTask(p.id, for: user))
        case .undoTask:
            return .result(try await store.undo(for: user))
        case .issueToken(let p):
            return .result(try await issueToken(p, peer: peer))
        case .loginCode:
            return .result(try await loginCode(for: user))
        case .compact:
            let report = try await Self.maintenance("compaction") { try await store.compact() }
            logger.info("compaction done on request", metadata: ["todo.user": "\(user)"])
            return .result(OperationResult(message: "compacted \(report.files) file(s): \(report.linesBefore) → \(report.linesAfter) lines", detail: try Self.json(report)))
        case .backup(let p):
            let report = try await Self.maintenance("backup") { try await store.backup(to: p.directory) }
            logger.info("backup written", metadata: ["todo.backup": "\(p.directory)"])
            return .result(OperationResult(message: "backed up \(report.users) user(s), \(report.files) file(s), \(report.bytes) bytes to \(report.directory)", detail: try Self.json(report)))
        case .export:
            // ControlPermissions: an operator exports every user, a member only itself.
            return .result(try Self.json(try await store.exportAll(only: peer.role == .operator ? nil : user)))
        case .importData(let p):
            var document: ExportDocument
            do {
                document = try JSONDecoder().decode(ExportDocument.self, from: JSONEncoder().encode(p.data))
            } catch {
                throw RPCError.invalidParams(field: "data", "data is not a todod export document: \(error)")
            }
            if peer.role != .operator {
                // A member's import lands in its own user, whatever users the document names.
                let named = Set(document.users.map(\.user)).subtracting([user])
                if !named.isEmpty {
                    logger.notice("import re-targeted to the caller", metadata: [
                        "todo.user": "\(user)", "todo.import.named": "\(named.map(\.rawValue).sorted())", "todo.peer.uid": "\(peer.credentials.uid)",
                    ])
                }
                document.users = document.users.map { ExportedUser(user: user, tasks: $0.tasks, threads: $0.threads) }
            }
            let report = try await store.importAll(document)
            return .result(OperationResult(message: "imported \(report.tasksAdded) new and \(report.tasksUpdated) updated task(s), skipped \(report.tasksSkipped)", detail: try Self.json(report)))
        case .exportICS:
            return .result(try await exportICS(for: user))
        case .importICS(let p):
            return .result(try await importICS(p, for: user))
        case .subscribe:
            throw RPCError(code: RPCError.internalErrorCode, message: "subscribe is handled by the server")
        case .shutdown:
            logger.notice("shutdown requested over the control socket", metadata: ["todo.user": "\(user)", "todo.peer.pid": "\(peer.credentials.pid)"])
            return .result(OperationResult(message: "todod is stopping"), afterResponse: shutdown)
        }
    }

    private func status(for peer: ControlPeer) async throws -> StatusResult {
        let tasks = try await store.tasks(for: peer.user, filter: .all)
        let done = tasks.filter(\.completed).count
        return StatusResult(
            version: DaemonRuntime.version, pid: getpid(), uptimeSeconds: (runtime.uptimeSeconds * 1000).rounded() / 1000,
            dataDirectory: runtime.dataDirectory, controlSocket: runtime.controlListener, http: runtime.httpListener, user: peer.user,
            role: peer.role, tasks: TaskCounts(total: tasks.count, pending: tasks.count - done, completed: done),
            store: peer.role == .operator ? try Self.json(await store.stats()) : nil, storeLocation: store.location,
            figures: peer.role == .operator ? metrics?.headline() : nil, feedback: try await store.feedbackCounts(for: peer.user))
    }

    private func issueToken(_ p: IssueTokenParams, peer: ControlPeer) async throws -> TokenResult {
        guard let auth else { throw RPCError(code: RPCError.unavailableCode, message: "tokens are unavailable: the auth service is not configured") }
        let subject = p.user ?? peer.user
        guard subject == peer.user || peer.isPrivileged else {
            throw RPCError(code: RPCError.forbiddenCode, message: "only root or the daemon's user may issue tokens for another user")
        }
        let ttl = p.ttlSeconds ?? runtime.settings.tokenTTLSeconds
        let token = try await auth.issueToken(for: subject, ttlSeconds: ttl)
        logger.info("token issued", metadata: ["todo.user": "\(subject)", "todo.ttl": "\(ttl)", "todo.peer.uid": "\(peer.credentials.uid)"])
        return TokenResult(token: token, user: subject, expiresAt: Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch + Int64(ttl) * 1000))
    }

    private func loginCode(for user: UserID) async throws -> LoginCodeResult {
        guard let auth, let prefix = runtime.loginURLPrefix else {
            throw RPCError(code: RPCError.unavailableCode, message: "the web UI is off (start todod with --http HOST:PORT)")
        }
        let code = await auth.makeLoginCode(for: user)
        let expires = Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch + AuthService.loginCodeTTL * 1000)
        return LoginCodeResult(code: code, url: prefix + code, expiresAt: expires)
    }

    // MARK: Helpers

    /// The request's date context: the daemon's clock, the caller's zone (-32602 naming time_zone if unknown).
    private func context(_ timeZone: String?) throws -> DateContext {
        try ControlTaskMapping.context(timeZone: timeZone, now: clock.now())
    }

    /// Runs a maintenance operation; a store that cannot do it (`TodoError.conflict`, for example PostgreSQL,
    /// which has autovacuum and pg_dump) answers with a conflict error naming the operation and the reason.
    static func maintenance<T>(_ name: String, _ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as TodoError where error.code == .conflict {
            throw RPCError(code: RPCError.conflictCode, message: "\(name) is not available for this store: \(error.message)")
        }
    }

    static func json(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// Maps any error to the JSON-RPC error the client sees.
    static func rpcError(_ error: any Error) -> RPCError {
        switch error {
        case let rpc as RPCError: return rpc
        case let todo as TodoError:
            switch todo.code {
            case .validation: return .invalidParams(field: todo.field ?? "params", todo.message)
            case .notFound: return RPCError(code: RPCError.notFoundCode, message: todo.message)
            case .conflict: return RPCError(code: RPCError.conflictCode, message: todo.message)
            case .unavailable: return RPCError(code: RPCError.unavailableCode, message: "store unavailable: \(todo.message)")
            }
        case let store as StoreError:
            if store.code == .invalidArgument { return RPCError(code: RPCError.invalidParamsCode, message: store.message, data: RPCErrorData(field: "directory")) }
            return RPCError(code: RPCError.serverErrorCode, message: "store error: \(store)")
        case let auth as AuthError:
            return RPCError(code: RPCError.serverErrorCode, message: "auth error: \(auth)")
        default:
            return RPCError(code: RPCError.internalErrorCode, message: "internal error: \(error)")
        }
    }
}
