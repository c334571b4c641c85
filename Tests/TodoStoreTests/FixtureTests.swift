import Foundation
import Testing
import TodoCore
@testable import TodoStore

// MARK: - The documented examples in data/ and the fuzz corpus

@Suite("Data format fixtures")
struct FixtureTests {
    /// `data/example-v1` in the source tree, found relative to this file.
    static let exampleDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/example-v1").path

    @Test("data/example-v1 loads with exactly the documented content")
    func exampleV1() async throws {
        let dir = tempPath("fixture")
        try FileManager.default.copyItem(atPath: Self.exampleDirectory, toPath: dir)
        let store = try await Store.open(directory: dir, logger: quietLogger)
        let alice = user("alice")
        let tasks = try await store.tasks(for: alice, filter: .all)
        #expect(tasks.map(\.title) == ["Buy milk", "Call mum", "File taxes"])
        #expect(tasks[0].description == "2 litres" && tasks[0].createdAt == Timestamp(rfc3339: "2026-01-01T09:00:00.000Z"))
        #expect(tasks[1].completed && tasks[1].updatedAt == Timestamp(rfc3339: "2026-01-03T12:00:00Z"))
        #expect(tasks[2].description == "Deadline: 31 May — \"Steuer\"")
        #expect(try await store.addTask(TaskDraft(title: "Buy milk"), for: alice, requestID: "cli-7f3a") == tasks[0])
        let bob = user("bob")
        #expect(try await store.tasks(for: bob, filter: .all).map(\.id.rawValue) == ["t_bobfirst1"])
        #expect(try await store.addTask(TaskDraft(title: "x"), for: bob, requestID: "cli-0001").title == "Old errand")
        let threads = try await store.threads(for: alice, page: PageRequest(limit: 10))
        #expect(threads.data.map(\.id) == ["thr_weekplan"])
        let items = try await store.items(threadID: "thr_weekplan", for: alice, page: PageRequest(limit: 10, order: .asc))
        #expect(items.data.map(\.id) == ["msg_0001", "msg_0002"])
        #expect(items.data[1].payload.contains("Two tasks"))
        let stats = await store.stats()
        #expect(stats.users == 2 && stats.tasks == 4 && stats.threads == 1 && stats.items == 2)
        await store.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("every example line is in canonical form (decode + encode gives the same bytes)")
    func canonical() throws {
        for path in ["alice/tasks.jsonl", "alice/threads.jsonl", "bob/tasks.jsonl"] {
            let text = try String(contentsOfFile: Self.exampleDirectory + "/users/" + path, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let record = try RecordCodec.decode(Array(line.utf8))
                #expect(RecordCodec.encode(record) == Array(line.utf8) + [0x0A], "\(path): \(line)")
            }
        }
    }

    @Test("every fuzz seed decodes to a record that round-trips canonically, or to a typed DecodeError")
    func fuzzCorpus() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/fuzz-corpus/record", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        var replayed = 0, decoded = 0, rejected = 0
        for name in files {
            let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
            replayed += 1
            do {
                let record = try RecordCodec.decode(bytes)
                decoded += 1
                let encoded = RecordCodec.encode(record)
                #expect(encoded.last == 0x0A, "\(name): encoding ends in a newline")
                let line = Array(encoded.dropLast())
                #expect(!line.contains(0x0A), "\(name): encoding is one line")
                let again = try RecordCodec.decode(line)
                #expect(again == record, "\(name): round trip keeps the record")
                #expect(RecordCodec.encode(again) == encoded, "\(name): encoding is canonical")
            } catch let error as RecordCodec.DecodeError {
                rejected += 1
                #expect(!error.reason.isEmpty, "\(name): a rejection says why")
            }
            // The recovery scanner cuts only on line boundaries, whatever the bytes.
            for kind in [FileKind.tasks, .threads] {
                let result = bytes.withUnsafeBufferPointer { LineScanner.scan($0, kind: kind) { _ in } }
                switch result.outcome {
                case .clean: break
                case .tornTail(let offset, _), .corrupt(let offset, _, _):
                    #expect(offset >= 0 && offset <= bytes.count && (offset == 0 || bytes[offset - 1] == 0x0A),
                            "\(name): scanner offset \(offset) is on a line boundary")
                }
            }
        }
        #expect(replayed == files.count && replayed >= 10, "the corpus was replayed")
        #expect(decoded + rejected == replayed)
        #expect(decoded >= 10, "most seeds must be valid records so the fuzzer starts from real shapes")
    }
}

@Suite("Record codec")
struct RecordCodecTests {
    @Test("round trip of every record kind, with escapes and non-ASCII")
    func roundTrip() throws {
        let at = Timestamp(millisecondsSinceEpoch: 1_767_225_600_123)
        let task = TaskItem(id: try TaskID("t_1"), title: "a \"b\" \\ c\n\t\u{01} é 😀", description: nil, completed: true, createdAt: at, updatedAt: at)
        let records: [StoreRecord] = [
            .header(kind: "todod.tasks", version: 1), .task(task, requestID: "r 1"), .task(task, requestID: nil),
            .taskDeleted(task.id), .requestTombstone(requestID: "r", task: task),
            .thread(StoredThread(id: "thr", createdAt: at, payload: "{\"x\":\"\\u0000\"}")), .threadDeleted(id: "thr"),
            .item(StoredItem(id: "i", threadID: "thr", createdAt: at, payload: "{}")), .itemDeleted(id: "i", threadID: "thr"),
            .feedback(threadID: "thr", itemID: "i", kind: .positive), .feedback(threadID: "thr", itemID: "i", kind: .negative),
        ]
        for record in records {
            let line = RecordCodec.encode(record)
            #expect(line.last == 0x0A && line.filter { $0 == 0x0A }.count == 1)
            #expect(try RecordCodec.decode(line.dropLast()) == record)
            #expect(try JSONSerialization.jsonObject(with: Data(line)) is [String: Any], "must be standard JSON")
        }
    }

    @Test("invalid lines are rejected with a reason", arguments: [
        "", "{", "[]", "{\"op\":\"task\"}", "{\"op\":\"task_deleted\",\"id\":\"../x\"}", "{\"op\":\"zap\"}",
        "{\"op\":\"thread\",\"id\":\"a b\",\"created_at\":\"2026-01-01T00:00:00Z\",\"payload\":\"{}\"}",
        "{\"op\":\"task_deleted\",\"id\":\"t\"} x", "{\"op\":\"task_deleted\",\"id\":\"\\ud800\"}",
        "{\"format\":\"todod.tasks\"}", "{\"op\":\"task_deleted\",\"id\":\"t\",\"x\":" + String(repeating: "[", count: 40) + "}",
        "{\"op\":\"feedback\",\"id\":\"i\",\"thread_id\":\"thr\",\"kind\":\"meh\"}", "{\"op\":\"feedback\",\"id\":\"i\",\"thread_id\":\"thr\"}",
    ])
    func rejects(_ line: String) {
        #expect(throws: RecordCodec.DecodeError.self) { try RecordCodec.decode(Array(line.utf8)) }
    }

    @Test("invalid UTF-8 is rejected")
    func invalidUTF8() {
        let bytes = Array("{\"op\":\"task_deleted\",\"id\":\"".utf8) + [0xFF] + Array("\"}".utf8)
        #expect(throws: RecordCodec.DecodeError.self) { try RecordCodec.decode(bytes) }
    }

    @Test("the fast timestamp parser agrees with Timestamp(rfc3339:)")
    func timestamps() {
        var rng = SeededRandom(state: 3)
        for _ in 0..<5000 {
            let ms = Int64.random(in: -62_135_596_800_000...4_102_444_800_000, using: &rng)
            let t = Timestamp(millisecondsSinceEpoch: ms)
            #expect(parseTimestamp(t.rfc3339) == t)
            let line = RecordCodec.encode(.thread(StoredThread(id: "t", createdAt: t, payload: "")))
            #expect(String(decoding: line, as: UTF8.self).contains("\"created_at\":\"\(t.rfc3339)\""), "writer formats like rfc3339")
        }
        // Edges of the writer's fast path: the epoch, a millisecond before it, and years it leaves to `rfc3339`.
        for ms: Int64 in [0, -1, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001] {
            let t = Timestamp(millisecondsSinceEpoch: ms)
            let line = RecordCodec.encode(.thread(StoredThread(id: "t", createdAt: t, payload: "")))
            #expect(String(decoding: line, as: UTF8.self).contains("\"created_at\":\"\(t.rfc3339)\""), "\(ms)")
        }
        for seq in [0, 7, 9, 10, 99, 100, 12_345, Int.max, -1, Int.min] {
            #expect(RecordCodec.encode(.undone(seq: seq)) == Array("{\"op\":\"undone\",\"seq\":\(seq)}\n".utf8), "\(seq)")
        }
        // Short strings without escapes take the writer's one-copy path; the rest go through JSONStringLiteral.
        let tail = String(repeating: "x", count: 184)
        for text in ["", "a", "plain words", "quote\"", "back\\slash", "tab\t", "nul\u{0}", "\u{1F}", "é ü 😀", "12345678\"",
                     tail + "1234567", tail + "12345678", tail + "123456789", tail + "1234567\"", String(repeating: "long ", count: 100)] {
            var literal: [UInt8] = []
            JSONStringLiteral.append(text, to: &literal)
            let line = RecordCodec.encode(.thread(StoredThread(id: "t", createdAt: Timestamp(millisecondsSinceEpoch: 0), payload: text)))
            #expect(line == Array("{\"op\":\"thread\",\"id\":\"t\",\"created_at\":\"1970-01-01T00:00:00.000Z\",\"payload\":".utf8) + literal + Array("}\n".utf8), "\(text)")
        }
        let base = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!.millisecondsSinceEpoch
        #expect(parseTimestamp("2026-01-01T00:00:00.12345Z")?.millisecondsSinceEpoch == base + 123, "more than 3 fraction digits")
        for text in ["2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-01-01T00:00:00+01:00", "garbage", "2026-01-01T00:00:00.00xZ"] {
            #expect(parseTimestamp(text) == Timestamp(rfc3339: text), "\(text)")
        }
    }
}
