import Foundation
import Logging
import TodoCore
import TodoPostgres
import TodoStore
import TodoTesting

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

/// One fresh, empty store and how to dispose of it.
struct ContractStore: Sendable {
    let kind: StoreKind
    let store: any DataStore
    let cleanup: @Sendable () -> Void

    /// Opens a fresh, empty store of `kind`: a new temporary data directory, or a new PostgreSQL database.
    /// - Parameters:
    ///   - kind: which implementation.
    ///   - clock: the source of timestamps (a manual clock keeps both kinds deterministic).
    ///   - timeZone: the zone recurring tasks move on in.
    static func open(_ kind: StoreKind, clock: any WallClock = ManualWallClock(), timeZone: TimeZone = utc) async throws -> ContractStore {
        switch kind {
        case .file:
            let dir = try TemporaryDirectory(prefix: "todod-contract-")
            let store = try await Store.open(directory: dir.appending("data"), clock: clock,
                                             options: StoreOptions(timeZone: timeZone), logger: quietLogger)
            return ContractStore(kind: kind, store: store, cleanup: { dir.remove() })
        case .postgres:
            let store = try await openPostgres(clock: clock, timeZone: timeZone)
            return ContractStore(kind: kind, store: store, cleanup: {})
        }
    }

    private static func openPostgres(clock: any WallClock, timeZone: TimeZone) async throws -> any DataStore {
        _ = try await PostgresTestDatabase.freshURL()
        throw TestingError("PostgresStore is not merged into this branch yet")
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
        opened.cleanup()
        return result
    } catch {
        await opened.store.close()
        opened.cleanup()
        throw error
    }
}

/// The error `body` throws as a `TodoError`, or nil when it succeeds or throws something else.
func todoError<T>(_ body: () async throws -> T) async -> TodoError? {
    do {
        _ = try await body()
        return nil
    } catch let error as TodoError {
        return error
    } catch {
        return nil
    }
}
