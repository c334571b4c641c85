import Foundation
import Logging
import Testing
import TodoCore
import TodoPostgres
import TodoStore
import TodoTesting
import TodoControl

// MARK: - The stores the contract runs against

/// Which implementation of `DataStore` a contract case runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case file, postgres

    /// The kinds this run can use: the file store always, PostgreSQL when `TODOD_TEST_DATABASE_URL` is set.
    /// A PostgreSQL case that cannot reach its database fails; it is never silently skipped.
    static var available: [StoreKind] {
        PostgresTestDatabase.isConfigured ? [.file, .postgres] : [.file]
    }

    /// Every (source, target) pair of available kinds, for moving data between stores.
    static var availablePairs: [(StoreKind, StoreKind)] {
        available.flatMap { a in available.map { b in (a, b) } }
    }

    var description: String { rawValue }
}

/// A logger that drops everything.
let quietLogger = Logger(label: "todo.contract.test") { _ in SwiftLogNoOpLogHandler() }

/// The zone the stores move recurring tasks on in (fixed, so results do not depend on the machine).
let utc = TimeZone(identifier: "UTC")!

/// A user id from a literal.
func user(_ name: String) -> UserID { try! UserID(name) }

/// One fresh, empty store, how to open it again on the same data, and how to dispose of it.
struct ContractStore: Sendable {
    let kind: StoreKind
    let store: any DataStore
    /// Opens another store on the same data (after `store` is closed: the file store locks its directory).
    let reopen: @Sendable () async throws -> any DataStore
    let cleanup: @Sendable () async -> Void

    /// Opens a fresh, empty store of `kind`: a new temporary data directory, or a new PostgreSQL database.
    /// - Parameters:
    ///   - kind: which implementation.
    ///   - clock: the source of timestamps (a manual clock keeps both kinds deterministic).
    ///   - timeZone: the zone recurring tasks move on in.
    static func open(_ kind: StoreKind, clock: any WallClock = ManualWallClock(), timeZone: TimeZone = utc) async throws -> ContractStore {
        switch kind {
        case .file:
            let dir = try TemporaryDirectory(prefix: "todod-contract-")
            let open: @Sendable () async throws -> any DataStore = {
                try await Store.open(directory: dir.appending("data"), clock: clock, options: StoreOptions(timeZone: timeZone), logger: quietLogger)
            }
            return ContractStore(kind: kind, store: try await open(), reopen: open, cleanup: { dir.remove() })
        case .postgres:
            let configuration = try await PostgresTestDatabase.fresh()
            let open: @Sendable () async throws -> any DataStore = {
                try await PostgresStore.open(configuration: configuration, clock: clock, timeZone: timeZone, logger: quietLogger)
            }
            return ContractStore(kind: kind, store: try await open(), reopen: open,
                                 cleanup: { try? await PostgresTestDatabase.drop(configuration.database) })
        }
    }
}

/// Runs `body` with a fresh store of `kind`, then closes and removes it (also when `body` throws).
func withStore<R>(
    _ kind: StoreKind, clock: any WallClock = ManualWallClock(), timeZone: TimeZone = utc,
    _ body: (any DataStore) async throws -> R
) async throws -> R {
    let opened = try await ContractStore.open(kind, clock: clock, timeZone: timeZone)
    do {
        let result = try await body(opened.store)
        await opened.store.close()
        await opened.cleanup()
        return result
    } catch {
        await opened.store.close()
        await opened.cleanup()
        throw error
    }
}

/// The error `body` throws as a `TodoError`, or nil when it succeeds. Any other error is recorded as an issue
/// (the contract's errors are `TodoError`s on every store) and gives nil.
func todoError<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async -> TodoError? {
    do {
        _ = try await body()
        return nil
    } catch let error as TodoError {
        return error
    } catch {
        Issue.record("expected a TodoError, got \(type(of: error)): \(String(reflecting: error))", sourceLocation: sourceLocation)
        return nil
    }
}

// MARK: - Payloads compared as JSON values

/// Whether two JSON texts mean the same value (both must parse): payloads are compared by meaning, since PostgreSQL
/// keeps them as JSONB (key order and whitespace are not preserved).
func sameJSON(_ a: String, _ b: String) -> Bool {
    let decoder = JSONDecoder()
    guard let x = try? decoder.decode(TodoControl.JSONValue.self, from: Data(a.utf8)),
          let y = try? decoder.decode(TodoControl.JSONValue.self, from: Data(b.utf8)) else { return false }
    return x == y
}
