// MARK: - TokenEstimate

/// A tokenizer-free estimate of how many tokens a text costs, for fitting history into the model's context
/// window. BPE tokenizers average about four bytes of English or code per token; text in other scripts costs
/// more (CJK about one token per character), so every non-ASCII character counts as a whole token. The
/// estimate errs high for accented Latin text, which only shortens the history a little.
enum TokenEstimate {
    /// The estimated token count of `text`.
    /// - Parameter text: any text.
    static func of(_ text: String) -> Int {
        var ascii = 0
        var other = 0
        for byte in text.utf8 {
            if byte < 0x80 {
                ascii += 1
            } else if byte & 0xC0 != 0x80 {
                other += 1  // the first byte of a multi-byte character
            }
        }
        return (ascii + 3) / 4 + other
    }
}
