import Foundation
import Testing
import TodoControl

// MARK: - Fuzz corpus replay

@Suite("Control line fuzz corpus")
struct ControlFuzzCorpusTests {
    static let corpus: String = (#filePath as NSString).deletingLastPathComponent + "/Fixtures/fuzz-corpus/control-line"

    @Test func everySeedDecodesToARequestOrATypedDecoderError() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted()
        let decoderCodes: Set<Int> = [
            RPCError.parseErrorCode, RPCError.invalidRequestCode, RPCError.methodNotFoundCode, RPCError.invalidParamsCode,
        ]
        var replayed = 0
        for file in files {
            let bytes = try #require(FileManager.default.contents(atPath: Self.corpus + "/" + file))
            replayed += 1
            switch ControlLineDecoder(maxLineBytes: 1 << 16).decode(Array(bytes)) {
            case .request(_, let request):
                #expect(!request.method.isEmpty, "\(file): a decoded request names its method")
            case .failure(let id, let error):
                #expect(decoderCodes.contains(error.code), "\(file): unexpected code \(error.code)")
                #expect(!error.message.isEmpty, "\(file): an error says why")
                if error.code == RPCError.invalidParamsCode {
                    #expect(error.data?.field?.isEmpty == false, "\(file): -32602 names the field")
                }
                if error.code == RPCError.parseErrorCode {
                    #expect(id == nil, "\(file): a parse error carries no id")
                }
            }
        }
        #expect(replayed == files.count && replayed >= 19, "the corpus was replayed")
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
