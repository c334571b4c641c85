// libFuzzer harness for the JSON-lines record decoder (built only with TODO_FUZZ=1; see Tests/Fuzz/run.sh).
// The same check runs over the committed corpus in `swift test` (RecordCorpusTests).
import TodoStore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    RecordCodec.fuzzCheck(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
