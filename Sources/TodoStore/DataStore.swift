public import TodoCore

// MARK: - DataStore

/// Everything the daemon needs of a store: the task and thread repositories plus export, import, statistics,
/// maintenance and lifecycle. Two implementations: `Store` (JSON-lines files in a data directory, the embedded
/// default) and `PostgresStore` (TodoPostgres, several todod instances on one database). The same contract
/// suite (Tests/StoreContractTests) runs against both.
public protocol DataStore: TaskRepository, ThreadRepository {
    /// Where the data lives, for logs and `todoctl status` (a directory, or a URL without its password).
    nonisolated var location: String { get }
    /// Every user's data, or one user's, as an export document.
    func exportAll(only: UserID?) async throws -> ExportDocument
    /// Imports a document; entries whose ids exist are skipped (or updated where newer) as `ImportReport` says.
    func importAll(_ document: ExportDocument) async throws -> ImportReport
    /// Counts of users, tasks, threads and items.
    func stats() async throws -> StoreStats
    /// Rewrites the data files without dead records (the file store); others throw `TodoError.conflict` saying why not.
    func compact() async throws -> CompactionReport
    /// Copies the data into `directory` (the file store); others throw `TodoError.conflict` naming their tool.
    func backup(to directory: String) async throws -> BackupReport
    /// The error that fail-stopped the store, or nil while it serves.
    var failure: StoreError? { get async }
    /// Registers a handler called once if the store fail-stops (the daemon exits for a restart into recovery).
    nonisolated func onFatalFailure(_ handler: @escaping @Sendable (StoreError) -> Void)
    /// Finishes pending writes, ends change streams and releases what the store holds.
    func close() async
}

// MARK: - Input rules every store applies

/// The checks both stores make on ids, payloads, page sizes and imports, so they reject the same inputs with
/// the same `TodoError.validation` fields.
public enum StoreInputRules {
    /// Largest accepted thread or item `payload`, in bytes.
    public static let maxPayloadBytes = 1 << 20

    /// A client idempotency key: 1-128 bytes, no control characters.
    public static func checkRequestID(_ requestID: String) throws {
        guard isValidRequestID(requestID) else {
            throw TodoError.validation(field: "request_id", "request id must be 1-128 printable characters")
        }
    }

    /// A thread or item id.
    public static func checkID(_ id: String, field: String) throws {
        guard isSafeID(id) else { throw TodoError.validation(field: field, "\(field) must be 1-64 characters of A-Z a-z 0-9 _ -") }
    }

    /// A thread or item payload.
    public static func checkPayload(_ payload: String) throws {
        guard payload.utf8.count <= maxPayloadBytes else { throw TodoError.validation(field: "payload", "payload must be at most 1 MiB") }
    }

    /// A page size.
    public static func checkLimit(_ page: PageRequest) throws {
        guard (1...1000).contains(page.limit) else { throw TodoError.validation(field: "limit", "limit must be 1-1000") }
    }

    /// A whole export document, before anything of it is written (`TodoError.validation` names the entry).
    public static func checkImport(_ document: ExportDocument) throws {
        try Store.validate(document)
    }
}
