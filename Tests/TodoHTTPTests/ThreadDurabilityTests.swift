import Testing
import HummingbirdTesting
import ChatKitProtocol
import TodoCore
import TodoStore

// MARK: - thread.created only for durable threads

@Suite("ChatKit thread durability")
struct ThreadDurabilityTests {
    @Test("When the thread cannot be written, no thread.created goes out and the client gets an error event", arguments: [
        SimulatedDisk.Operation.write, .fsync,
    ])
    func failedThreadWriteSendsNoThreadCreated(operation: SimulatedDisk.Operation) async throws {
        let disk = SimulatedDisk()
        let h = try await HTTPTestHarness.make(directory: "/todod", backend: disk)
        let token = try await h.token()
        disk.injectFault(.eio, at: 1, operation: operation, persistent: true)
        try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            let types = r.events.map { $0["type"]?.stringValue ?? "" }
            #expect(!types.contains("thread.created"), "events: \(types)")
            #expect(types == ["error"])
            #expect(r.events.first?["code"]?.stringValue == "stream.error")
            #expect(r.events.first?["allow_retry"]?.boolValue == true)
        }
        #expect(disk.count(of: operation) >= 1, "the fault was reached")
    }

    @Test("A saved thread is announced before its first message, and it is listed afterwards")
    func threadCreatedComesAfterTheSave() async throws {
        let disk = SimulatedDisk()
        let h = try await HTTPTestHarness.make(directory: "/todod", backend: disk)
        let token = try await h.token()
        try await h.test { client in
            let r = try await client.chatkit(ChatKitGoldenTests.create, token: token)
            let types = r.events.map { $0["type"]?.stringValue ?? "" }
            #expect(Array(types.prefix(2)) == ["thread.created", "thread.item.done"])
            let id = try #require(r.events.first?["thread"]?["id"]?.stringValue)
            let thread = try await h.store.thread(id, for: try UserID("alice"))
            #expect(thread.id == id)
        }
    }
}
