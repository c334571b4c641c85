import Logging
import TodoCore

// MARK: - Deferred loading

/// With `StoreOptions.deferLoading`, `Store.open` locks the directory and checks every file's edges
/// (`Recovery.edgesAreClean`); when all ended cleanly it returns at once and the full load runs on the store's
/// I/O thread. Every request first waits for that load (`usable()`), so none sees a partial store; the
/// first one to resume installs what was loaded. A load that fails (a corrupt line in the middle of a file,
/// an I/O error) fail-stops the store: later requests throw `.stopped`, and the `onFatalFailure` handlers run,
/// so the daemon exits non-zero naming the file and line, as it did when the corruption stopped `open`.
extension Store {
    /// Starts the full load of a directory whose files ended cleanly, and a task that installs it when it
    /// ends even if no request comes.
    func startDeferredLoad(_ recovery: Recovery) {
        let started = ContinuousClock.now
        loading = Task { [io] in try await io.run { try recovery.run() } }
        Task { [logger] in
            try? await self.usable()
            logger.debug("deferred load finished", metadata: ["todo.duration": "\(ContinuousClock.now - started)"])
        }
    }

    /// Waits for a deferred load (installing it, or fail-stopping on its error), then throws when the store
    /// cannot serve requests.
    func usable() async throws {
        if let pending = loading {
            do {
                let found = try await pending.value
                if loading != nil {
                    loading = nil
                    if !isClosed { install(found) }
                }
            } catch {
                if loading != nil {
                    loading = nil
                    fail.stop(error)
                }
            }
        }
        try checkUsable()
    }

    /// Whether a deferred load is still running (the figures of `stats()` leave its users out until then).
    public var isLoading: Bool { loading != nil }
}
