import Testing
import TodoTesting

// MARK: - Whether the PostgreSQL half of the contract ran

/// The PostgreSQL cases of the contract suite exist only when `TODOD_TEST_DATABASE_URL` is set. These tests make
/// their absence visible: skipped (recorded) when PostgreSQL is optional, a failure when `TODOD_REQUIRE_POSTGRES=1`.
@Suite("Store contract: PostgreSQL availability", .timeLimit(.minutes(1)))
struct PostgresAvailabilityTests {
    @Test("TODOD_REQUIRE_POSTGRES=1: the test database is configured and reachable",
          .enabled(if: PostgresTestDatabase.isRequired, "TODOD_REQUIRE_POSTGRES is not 1"))
    func requiredPostgresIsThere() async throws {
        #expect(PostgresTestDatabase.isConfigured,
                "TODOD_REQUIRE_POSTGRES=1 but TODOD_TEST_DATABASE_URL is unset: the PostgreSQL contract cases did not run")
        if PostgresTestDatabase.isConfigured {
            do {
                try await PostgresTestDatabase.checkReachable()
            } catch {
                Issue.record("TODOD_REQUIRE_POSTGRES=1 but TODOD_TEST_DATABASE_URL is unreachable: \(error)")
            }
        }
        #expect(StoreKind.available.contains(.postgres))
    }

    @Test("the PostgreSQL contract cases run against a reachable test database",
          .enabled(if: PostgresTestDatabase.isConfigured,
                   "TODOD_TEST_DATABASE_URL is unset: the PostgreSQL contract cases are absent from this run"))
    func postgresCasesRun() async throws {
        #expect(StoreKind.available == [.file, .postgres])
        try await PostgresTestDatabase.checkReachable()
        let fresh = try await PostgresTestDatabase.freshURL()
        #expect(fresh.contains("/t_"), "a fresh database is named t_<random>")
    }

    @Test("without the variables, only the file store is in the contract run",
          .enabled(if: !PostgresTestDatabase.isConfigured && !PostgresTestDatabase.isRequired))
    func fileOnly() {
        #expect(StoreKind.available == [.file])
    }
}
