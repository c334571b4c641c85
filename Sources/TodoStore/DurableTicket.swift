import Synchronization

// MARK: - DurableTicket

/// The one-shot "your append is durable" signal between a `LogWriter` and the caller that queued the append.
///
/// The caller queues its append while on the `Store` actor, leaves the actor, and only then waits on the
/// ticket, so the I/O thread resumes it straight onto the caller's executor: an acknowledgement no longer
/// queues a job on the actor (which would serialise every acknowledged writer behind the next batch's
/// appends). Whichever side comes second — the completion or the wait — resumes the waiter.
///
/// Before it waits, the caller encodes its own records (see `QueuedRecords`): off the actor, that work runs
/// while the actor stages the next appends.
final class DurableTicket: Sendable {
    private enum State {
        case pending
        case waiting(UnsafeContinuation<Void, any Error>)
        case done((any Error)?)
    }

    private let state = Mutex(State.pending)
    /// The append's records, when the ticket's waiter should encode them.
    private let records: QueuedRecords?

    init(records: QueuedRecords? = nil) { self.records = records }

    /// Marks the append durable.
    func resume() { complete(nil) }

    /// Marks the append failed.
    func resume(throwing error: any Error) { complete(error) }

    /// Returns once the append is durable; throws its write's error. Runs on the caller's isolation (no hop).
    func wait(isolation: isolated (any Actor)? = #isolation) async throws {
        records?.encode()
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let outcome = state.withLock { s -> (any Error)?? in
                switch s {
                case .pending:
                    s = .waiting(continuation)
                    return nil
                case .waiting:
                    preconditionFailure("a DurableTicket is awaited once")
                case .done(let error):
                    return .some(error)
                }
            }
            guard let outcome else { return }
            if let error = outcome { continuation.resume(throwing: error) } else { continuation.resume() }
        }
    }

    private func complete(_ error: (any Error)?) {
        let waiter = state.withLock { s -> UnsafeContinuation<Void, any Error>? in
            switch s {
            case .pending:
                s = .done(error)
                return nil
            case .waiting(let continuation):
                s = .done(error)
                return continuation
            case .done:
                return nil
            }
        }
        guard let waiter else { return }
        if let error { waiter.resume(throwing: error) } else { waiter.resume() }
    }
}

// MARK: - QueuedRecords

/// The records of one queued append, encoded exactly once by whoever needs the bytes first: the caller
/// before it waits on its ticket, or the I/O thread building its batch (which waits for an encoding in
/// progress). Queued in log order while still records, so the actor no longer encodes them.
final class QueuedRecords: Sendable {
    private enum State {
        case records([StoreRecord])
        case encoded([UInt8])
    }

    private let state: Mutex<State>
    /// Whether the append carries no records (a barrier: "wait until what is queued is durable").
    let isEmpty: Bool

    init(_ records: [StoreRecord]) {
        isEmpty = records.isEmpty
        state = Mutex(records.isEmpty ? .encoded([]) : .records(records))
    }

    /// Encodes the records unless that is done already.
    func encode() { _ = bytes }

    /// The records' lines, encoded now if nobody has yet.
    var bytes: [UInt8] {
        state.withLock { s in
            switch s {
            case .encoded(let bytes):
                return bytes
            case .records(let records):
                let bytes = RecordCodec.encode(records)
                s = .encoded(bytes)
                return bytes
            }
        }
    }
}
