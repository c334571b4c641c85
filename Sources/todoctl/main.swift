import Foundation
import TodoCore

// `todoctl`: a thin entry point; all logic is in the subcommands, which talk to todod only through
// TodoControl's typed `ControlClient`. `main` stays synchronous (`ProcessEntry.runParked` says why);
// `runMain` exits the process itself.
exit(ProcessEntry.runParked { await Todoctl.runMain() })
