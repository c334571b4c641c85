import Logging
import Testing
import TodoCore
import TodoPostgres
import TodoStore
import TodoTesting

// MARK: - The change feed when reading a change fails

/// The listener reads each notified change-log row before it publishes it. These tests make that one read fail
/// inside PostgreSQL itself: a restrictive row-level-security policy whose function raises an error for the
/// listener's single-row query (recognised by its text through `current_query()`) and lets every other statement
/// through, the insert that logs the change and the listener's catch-up included.
@Suite("PostgreSQL change feed: a failed read of a change", .enabled(if: PostgresFixture.isConfigured), .timeLimit(.minutes(1)))
struct PostgresChangeFeedFaultTests {
    static let logger = Logger(label: "test.pg.feed")

    static let injectFault = [
        """
        CREATE FUNCTION todod_test_read_fault() RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
            IF current_query() LIKE '%FROM todod_change_log WHERE seq = %' THEN
                RAISE EXCEPTION 'injected fault: reading one change-log row fails';
            END IF;
            RETURN true;
        END $$
        """,
        "CREATE POLICY todod_test_read_fault ON todod_change_log AS RESTRICTIVE FOR SELECT USING (todod_test_read_fault())",
    ]
    static let removeFault = ["DROP POLICY todod_test_read_fault ON todod_change_log", "DROP FUNCTION todod_test_read_fault()"]

    @Test("A change whose row read fails still reaches subscribers, through the listener's reconnect and catch-up")
    func failedReadIsCaughtUp() async throws {
        let c = try await PostgresFixture.freshDatabase()
        let store = try await PostgresStore.open(configuration: c, logger: Self.logger)
        let alice = try UserID("alice")
        let feed = ChangeCollector(store.changes(for: alice))
        defer { feed.stop() }

        let before = try await store.addTask(TaskDraft(title: "before the fault"), for: alice, requestID: nil)
        #expect(await feed.wait(for: 1), "the first change never arrived")

        try await PostgresFixture.execute(c, Self.injectFault)
        // The fault is live: the listener's query shape fails, as todod's role, with every row visible.
        await #expect(throws: (any Error).self, "the injected fault did not fire") {
            _ = try await PostgresFixture.inTransaction(
                c, "SELECT set_config('todod.scope', 'all', true)", "SELECT seq::int FROM todod_change_log WHERE seq = 1")
        }
        let during = try await store.addTask(TaskDraft(title: "its read fails"), for: alice, requestID: nil)
        #expect(await feed.wait(for: 2), "the change whose read failed never reached the feed: \(feed.changes.map(\.task.title))")

        try await PostgresFixture.execute(c, Self.removeFault)
        let after = try await store.addTask(TaskDraft(title: "after the fault"), for: alice, requestID: nil)
        #expect(await feed.wait(for: 3), "delivery did not resume after the fault: \(feed.changes.map(\.task.title))")

        #expect(feed.changes.map(\.task.id) == [before.id, during.id, after.id], "each change once, in order")
        #expect(feed.changes.allSatisfy { $0.kind == .created })
        await store.close()
    }
}
