// MARK: - Feedback on chat items

/// A user's verdict on an assistant message (ChatKit `items.feedback`).
public enum FeedbackKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Thumbs up.
    case positive
    /// Thumbs down.
    case negative
}

/// How many items of one user carry each kind of feedback (the latest verdict per item counts).
public struct FeedbackCounts: Sendable, Hashable, Codable {
    /// Items rated thumbs up.
    public var positive: Int
    /// Items rated thumbs down.
    public var negative: Int

    /// Every rated item.
    public var total: Int { positive + negative }

    /// - Parameters:
    ///   - positive: items rated thumbs up.
    ///   - negative: items rated thumbs down.
    public init(positive: Int = 0, negative: Int = 0) {
        self.positive = positive
        self.negative = negative
    }

    /// Counts `kind` once more.
    public mutating func add(_ kind: FeedbackKind) {
        switch kind {
        case .positive: positive += 1
        case .negative: negative += 1
        }
    }
}
