import Foundation
import Testing
import TodoControl
import TodoCore

/// The iCalendar control methods decode like every other method.
@Suite("Control: tasks.export_ics / tasks.import_ics")
struct ControlCalendarTests {
    let decoder = ControlLineDecoder()

    @Test func importDecodesTextAndZone() {
        let line = #"{"jsonrpc":"2.0","id":1,"method":"tasks.import_ics","params":{"text":"BEGIN:VCALENDAR\r\n","floating_zone":"Europe/Berlin"}}"#
        #expect(decoder.decode(Array(line.utf8)) == .request(id: .number(1), .importICS(ImportICSParams(text: "BEGIN:VCALENDAR\r\n", floatingZone: "Europe/Berlin"))))
    }

    @Test func importWithoutTextNamesTheField() {
        let line = #"{"jsonrpc":"2.0","id":2,"method":"tasks.import_ics","params":{}}"#
        guard case .failure(_, let error) = decoder.decode(Array(line.utf8)) else {
            Issue.record("decoded a request without text")
            return
        }
        #expect(error.code == RPCError.invalidParamsCode)
        #expect(error.data?.field == "text")
    }

    @Test func exportTakesNoParams() {
        let line = #"{"jsonrpc":"2.0","id":"e","method":"tasks.export_ics"}"#
        #expect(decoder.decode(Array(line.utf8)) == .request(id: .string("e"), .exportICS))
        #expect(ControlRequest.exportICS.method == "tasks.export_ics")
    }

    @Test func resultSummarizes() throws {
        let result = ICSImportResult(added: 2, updated: 1, unchanged: 3, problems: [ICSProblem(line: 7, message: "PRIORITY: bad")])
        #expect(result.imported == 6)
        #expect(result.message == "imported 6 todo(s): 2 new, 1 updated, 3 unchanged; 1 problem(s)")
        let json = String(decoding: try JSONEncoder().encode(ImportICSParams(text: "x", floatingZone: "UTC")), as: UTF8.self)
        #expect(json.contains("\"floating_zone\":\"UTC\""))
    }
}
