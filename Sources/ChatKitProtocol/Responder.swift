public import Foundation
public import TodoCore

// MARK: - Responder contract

/// One earlier entry of a conversation, as a responder (the LLM agent) sees it.
public enum ConversationEntry: Sendable, Hashable {
    /// A user message.
    case user(String)
    /// An assistant message.
    case assistant(String)
    /// A tool call the assistant made and its result.
    case tool(callID: String, name: String, arguments: String, result: String, isError: Bool)
}

/// What the ChatKit server hands a responder for one turn.
public struct ResponderInput: Sendable {
    /// The authenticated user the turn acts for (never chosen by the model).
    public var user: UserID
    /// The thread's id.
    public var threadID: String
    /// Whether the thread was created by this turn (the responder may then send a title).
    public var isNewThread: Bool
    /// Earlier entries, oldest first, not including `message`.
    public var history: [ConversationEntry]
    /// The new user message text.
    public var message: String
    /// The user's zone for this turn (the browser's `X-Time-Zone`, else the daemon's): what "tomorrow" means.
    public var timeZone: TimeZone

    /// - Parameters:
    ///   - user: the authenticated user.
    ///   - threadID: the thread id.
    ///   - isNewThread: whether this turn created the thread.
    ///   - history: earlier entries, oldest first.
    ///   - message: the new user text.
    ///   - timeZone: the user's zone for the turn (default: the process's zone).
    public init(user: UserID, threadID: String, isNewThread: Bool, history: [ConversationEntry], message: String,
                timeZone: TimeZone = .current) {
        self.user = user
        self.threadID = threadID
        self.isNewThread = isNewThread
        self.history = history
        self.message = message
        self.timeZone = timeZone
    }
}

/// What a responder streams back; the ChatKit server turns these into ChatKit events and persists them.
public enum ResponderEvent: Sendable, Hashable {
    /// A piece of assistant text. The server opens an assistant message on the first delta.
    case textDelta(String)
    /// Ends the current assistant message (for example before tool calls); the next delta opens a new one.
    case endMessage
    /// A tool call started: shown as a running task of a workflow item.
    case toolStarted(callID: String, name: String, arguments: String, title: String)
    /// A tool call finished: the task is updated with its title and result, or marked as failed.
    case toolFinished(callID: String, title: String, result: String, isError: Bool)
    /// A title for the thread (sent once, after the first reply of a new thread).
    case title(String)
    /// The turn failed; shown as an in-band `error` event. The stream ends after it.
    case error(message: String, allowRetry: Bool)
    /// A piece of the model's reasoning: shown as a collapsed `thought` task, never as answer text.
    case reasoningDelta(String)
    /// The reply is complete and only extra work (the model writing a title) follows: the server closes the
    /// open items and makes them durable now, so neither waits for that work.
    case replyFinished
}

/// Produces the assistant's side of a turn. `TodoAgent` implements it with an LLM; tests use scripted ones.
public protocol Responder: Sendable {
    /// Streams the response to one user message. Cancelling the consuming task cancels the turn.
    /// - Parameter input: the user, thread, history and new message.
    /// - Returns: events in order; the stream finishes when the turn is over.
    func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error>

    /// Runs the turn, handing each event to `sink` as it happens: the same events in the same order as
    /// `respond(to:)`, without a stream between the responder and its consumer. `sink` is called once per
    /// event and never concurrently (each call returns before the next); it returns when the turn is over.
    /// Cancelling the calling task cancels the turn.
    /// - Parameters:
    ///   - input: the user, thread, history and new message.
    ///   - sink: receives the events in order.
    func respond(to input: ResponderInput, into sink: @escaping ResponderSink) async throws
}

/// Receives a responder's events one at a time (see `Responder.respond(to:into:)`); false when it wants no more
/// (the turn ended with an error event, or its task was cancelled): the responder may then stop early.
public typealias ResponderSink = @Sendable (ResponderEvent) async -> Bool

extension Responder {
    /// Drains `respond(to:)` into `sink` (responders without a direct path).
    public func respond(to input: ResponderInput, into sink: @escaping ResponderSink) async throws {
        for try await event in respond(to: input) {
            guard await sink(event) else { break }
        }
    }
}

/// The responder used when no LLM is configured: every turn ends with an honest, non-retryable error.
public struct UnconfiguredResponder: Responder {
    /// The message shown to the user.
    public let message: String

    /// - Parameter message: how to configure an assistant.
    public init(message: String = "The assistant is not configured: set TODOD_LLM_BASE_URL and OPENAI_API_KEY (or TODOD_LLM_API_KEY), then restart todod.") {
        self.message = message
    }

    public func respond(to input: ResponderInput) -> AsyncThrowingStream<ResponderEvent, any Error> {
        AsyncThrowingStream { continuation in
            continuation.yield(.error(message: message, allowRetry: false))
            continuation.finish()
        }
    }
}
