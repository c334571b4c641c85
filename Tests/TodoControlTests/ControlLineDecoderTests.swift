import Testing
import TodoControl
import TodoCore

// MARK: - Line decoder

@Suite("Control line decoder")
struct ControlLineDecoderTests {
    let decoder = ControlLineDecoder()

    func decode(_ text: String) -> DecodedLine { decoder.decode(Array(text.utf8)) }

    func error(_ text: String) -> (RequestID?, RPCError)? {
        if case .failure(let id, let error) = decode(text) { return (id, error) }
        return nil
    }

    @Test func invalidJSONIsParseError() {
        let (id, e) = error(#"{"jsonrpc":"2.0","id":1,"method":"status""#)!
        #expect(e.code == -32700)
        #expect(id == nil)
        #expect(error("not json at all")?.1.code == -32700)
        #expect(error("")?.1.code == -32700)
    }

    @Test func nonObjectsAreInvalidRequests() {
        #expect(error("[1,2]")?.1.code == -32600)
        #expect(error("42")?.1.code == -32600)
        #expect(error(#"{"jsonrpc":"1.0","id":3,"method":"status"}"#)?.1.code == -32600)
        #expect(error(#"{"jsonrpc":"2.0","id":3}"#)?.1.code == -32600)
        #expect(error(#"{"jsonrpc":"2.0","id":{"a":1},"method":"status"}"#)?.1.code == -32600)
    }

    @Test func unknownMethodKeepsTheID() {
        let (id, e) = error(#"{"jsonrpc":"2.0","id":"abc","method":"tasks.explode"}"#)!
        #expect(e.code == -32601)
        #expect(id == .string("abc"))
        #expect(e.message.contains("tasks.explode"))
    }

    @Test(arguments: [
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.add","params":{}}"#, "title"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.add"}"#, "title"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.add","params":{"title":5}}"#, "title"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.add","params":{"title":"x","description":[]}}"#, "description"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.add","params":{"title":"x","request_id":""}}"#, "request_id"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.list","params":{"status":"done"}}"#, "status"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.get","params":{"id":"../etc"}}"#, "id"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.get","params":{}}"#, "id"),
        (#"{"jsonrpc":"2.0","id":1,"method":"tasks.update","params":{"id":"t_1","completed":"yes"}}"#, "completed"),
        (#"{"jsonrpc":"2.0","id":1,"method":"token.issue","params":{"ttl_seconds":-5}}"#, "ttl_seconds"),
        (#"{"jsonrpc":"2.0","id":1,"method":"token.issue","params":{"user":"../root"}}"#, "user"),
        (#"{"jsonrpc":"2.0","id":1,"method":"data.backup","params":{"directory":"relative/dir"}}"#, "directory"),
        (#"{"jsonrpc":"2.0","id":1,"method":"data.import","params":{}}"#, "data"),
        (#"{"jsonrpc":"2.0","id":1,"method":"status","params":[1]}"#, "params"),
    ])
    func badParamsNameTheField(line: String, field: String) {
        let (id, e) = error(line)!
        #expect(e.code == -32602)
        #expect(e.data?.field == field)
        #expect(id == .number(1))
    }

    @Test func validRequestsDecode() {
        #expect(decode(#"{"jsonrpc":"2.0","id":7,"method":"status"}"#) == .request(id: .number(7), .status))
        let add = decode(#"{"jsonrpc":"2.0","id":"a","method":"tasks.add","params":{"title":"Buy milk","description":"2 l","request_id":"r1"}}"#)
        #expect(add == .request(id: .string("a"), .addTask(AddTaskParams(title: "Buy milk", description: "2 l", requestID: "r1"))))
        let list = decode(#"{"jsonrpc":"2.0","id":1,"method":"tasks.list","params":{"status":"pending"}}"#)
        #expect(list == .request(id: .number(1), .listTasks(ListTasksParams(status: .pending))))
        let done = decode(#"{"jsonrpc":"2.0","id":2,"method":"tasks.complete","params":{"id":"t_abc","completed":false}}"#)
        #expect(done == .request(id: .number(2), .completeTask(CompleteTaskParams(id: try! TaskID("t_abc"), completed: false))))
    }

    @Test func notificationsHaveNoID() {
        #expect(decode(#"{"jsonrpc":"2.0","method":"shutdown"}"#) == .request(id: nil, .shutdown))
        #expect(decode(#"{"jsonrpc":"2.0","id":null,"method":"status"}"#) == .request(id: nil, .status))
    }

    @Test func overLongLinesAreRefused() {
        let small = ControlLineDecoder(maxLineBytes: 64)
        let line = #"{"jsonrpc":"2.0","id":1,"method":"tasks.add","params":{"title":""# + String(repeating: "x", count: 100) + #""}}"#
        guard case .failure(_, let e) = small.decode(Array(line.utf8)) else { Issue.record("accepted"); return }
        #expect(e.code == -32600)
    }
}
