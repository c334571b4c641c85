// libFuzzer harness for the control-protocol line decoder (built only with TODO_FUZZ=1; run with
// `Tests/Fuzz/run.sh 20 FuzzControlLine`). The seed corpus is Tests/TodoControlTests/Fixtures/fuzz-corpus/control-line,
// which `swift test` replays (ControlFuzzCorpusTests).
import TodoControl

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControlLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ControlLineDecoder.fuzzCheck(UnsafeBufferPointer(start: data, count: size))
    return 0
}
