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
