// `todoctl`: a thin entry point; all logic is in the subcommands, which talk to todod only through
// TodoControl's typed `ControlClient`.
await Todoctl.runMain()
