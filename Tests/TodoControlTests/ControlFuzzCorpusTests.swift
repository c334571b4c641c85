import Foundation
import Testing
import TodoControl

// MARK: - Fuzz corpus replay

@Suite("Control line fuzz corpus")
struct ControlFuzzCorpusTests {
    static let corpus: String = (#filePath as NSString).deletingLastPathComponent + "/Fixtures/fuzz-corpus/control-line"

    @Test func corpusReplaysWithoutBreakingInvariants() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted()
        #expect(files.count >= 19)
        for file in files {
            let bytes = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + file))
            ControlLineDecoder.fuzzCheck(Array(bytes))
        }
    }

    @Test func seedsCoverEveryOutcome() throws {
        var codes: Set<Int> = []
        var requests = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.corpus) {
            let bytes = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + file))
            switch ControlLineDecoder().decode(Array(bytes)) {
            case .request: requests += 1
            case .failure(_, let error): codes.insert(error.code)
            }
        }
        #expect(requests >= 10)
        #expect(codes.isSuperset(of: [-32700, -32600, -32602]))
    }
}
