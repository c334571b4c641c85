import Foundation
import ChatKitProtocol

// MARK: - Titles written by the model

/// The one short model call that names a new thread after its first reply, and the cleaning of its answer.
enum AgentTitles {
    /// The title call's system prompt. Its first words mark the request as a title call (the scripted test
    /// servers recognise it by them: `ScriptedLLMServer.Request.isTitleRequest`).
    static let instruction = """
        You name conversations. Reply with a title for the conversation below: at most six words, in the \
        language the user wrote in, no quotes, no final punctuation, nothing else.
        """

    /// The most words a title keeps.
    static let maxWords = 6
    /// The most characters a title keeps.
    static let maxCharacters = 60

    /// The title request: no tools, the first message and the reply (each clipped), then the ask.
    /// - Parameters:
    ///   - model: the model name.
    ///   - message: the user's first message.
    ///   - reply: the assistant's answer to it.
    static func request(model: String, message: String, reply: String) -> ChatRequest {
        var messages = [ChatMessage(role: .system, content: instruction), ChatMessage(role: .user, content: AgentPrompt.clip(message, 2000))]
        if !reply.isEmpty { messages.append(ChatMessage(role: .assistant, content: AgentPrompt.clip(reply, 1000))) }
        messages.append(ChatMessage(role: .user, content: "Title for this conversation, in the language of my first message:"))
        return ChatRequest(model: model, messages: messages, tools: [])
    }

    /// The title in a model's answer: reasoning in `<think>` tags dropped, the first non-empty line, without a
    /// `Title:` label, quotes, Markdown marks or final punctuation, at most six words and 60 characters;
    /// nil when nothing is left.
    /// - Parameter answer: the model's text.
    static func clean(_ answer: String) -> String? {
        var text = Substring(answer)
        if let close = text.range(of: "</think>") { text = text[close.upperBound...] }
        var title = text.split(whereSeparator: \.isNewline).map { $0.drop(while: \.isWhitespace) }.first { !$0.isEmpty } ?? ""
        let marks: Set<Character> = ["\"", "'", "“", "”", "„", "«", "»", "「", "」", "*", "#", "`", "_", " "]
        let finals: Set<Character> = [".", "!", "?", "。", "！", "？", ":", ";", ","]
        while let first = title.first, marks.contains(first) { title = title.dropFirst() }
        for label in ["title:", "titel:", "titre:", "título:", "titolo:"] where title.lowercased().hasPrefix(label) {
            title = title.dropFirst(label.count)
        }
        while let first = title.first, marks.contains(first) { title = title.dropFirst() }
        while let last = title.last, marks.contains(last) || finals.contains(last) { title = title.dropLast() }
        let words = title.split(whereSeparator: \.isWhitespace).prefix(maxWords).joined(separator: " ")
        guard !words.isEmpty else { return nil }
        return words.count <= maxCharacters ? words : String(words.prefix(maxCharacters - 1)) + "…"
    }
}
