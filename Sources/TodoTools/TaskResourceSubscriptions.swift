public import MCP
public import TodoCore

// MARK: - resources/subscribe → notifications/resources/updated

/// One MCP session's resource subscriptions, and the watcher that turns the user's task changes into
/// `notifications/resources/updated`.
///
/// The watcher starts with the first `resources/subscribe` (sessions that never subscribe, like the agent's
/// in-process ones, cost nothing) and reads `TaskRepository.changes(for:)` for the bound user. A change notifies
/// every subscribed view (today, upcoming: the changed task may have entered or left it) and the changed task's
/// own URI when it is subscribed. A notification may be spurious (the view's content can be unchanged); it is
/// never missing for a change the repository publishes. Over streamable HTTP the SDK routes the notification to
/// the session's standalone `GET /mcp` stream; over stdio it is written to stdout.
public actor TaskResourceSubscriptions {
    private let repository: any TaskRepository
    private let user: UserID
    private var uris: Set<String> = []
    private var watcher: Task<Void, Never>?
    private weak var server: Server?

    /// - Parameters:
    ///   - repository: the store whose changes are watched.
    ///   - user: the session's user.
    public init(repository: any TaskRepository, user: UserID) {
        self.repository = repository
        self.user = user
    }

    /// Binds the server notifications go through (weakly: a stopped and released server ends the watcher).
    func attach(_ server: Server) { self.server = server }

    /// The subscribed URIs.
    public var subscribed: Set<String> { uris }

    /// `resources/subscribe`: an unknown URI is "resource not found" (-32002).
    /// - Parameter uri: the resource URI.
    func subscribe(_ uri: String) throws {
        guard TaskResourceURI(uri) != nil else { throw TaskToolbox.resourceNotFound(uri) }
        uris.insert(uri)
        guard watcher == nil else { return }
        let changes = repository.changes(for: user)
        watcher = Task { [weak self] in
            for await change in changes {
                guard let self, await self.deliver(change) else { return }
            }
        }
    }

    /// `resources/unsubscribe` (unknown or never subscribed URIs are fine).
    /// - Parameter uri: the resource URI.
    func unsubscribe(_ uri: String) {
        uris.remove(uri)
    }

    /// Stops the watcher (when the session closes).
    public func stop() {
        watcher?.cancel()
        watcher = nil
        uris.removeAll()
    }

    /// The URIs one change touches among `subscribed`.
    /// - Parameters:
    ///   - change: the task change.
    ///   - subscribed: the subscribed URIs.
    static func affected(by change: TaskChange, among subscribed: Set<String>) -> [String] {
        let candidates = [TaskResourceURI.today.uri, TaskResourceURI.upcoming.uri, TaskResourceURI.task(change.task.id).uri]
        return candidates.filter(subscribed.contains)
    }

    /// Sends the notifications for one change; false once the server is gone.
    private func deliver(_ change: TaskChange) async -> Bool {
        guard let server else { return false }
        for uri in Self.affected(by: change, among: uris) {
            do {
                try await server.notify(ResourceUpdatedNotification.message(.init(uri: uri)))
            } catch {
                return false  // the connection is closed
            }
        }
        return true
    }
}
