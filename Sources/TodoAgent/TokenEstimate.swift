// MARK: - TokenEstimate

/// A tokenizer-free estimate of how many tokens a text costs, for fitting history into the model's context
/// window. BPE tokenizers average about four bytes of English or code per token; text in other scripts costs
/// more (CJK about one token per character), so every non-ASCII character counts as a whole token. The
/// estimate errs high for accented Latin text, which only shortens the history a little.
enum TokenEstimate {
    /// The estimated token count of `text`.
    /// - Parameter text: any text.
    static func of(_ text: String) -> Int {
        tokens(counts(text))
    }

    /// What the estimate counts in a text: ASCII bytes and other characters. Counts add up over concatenation,
    /// so a fixed part (the system prompt's rules) is counted once.
    struct Counts: Sendable {
        var ascii = 0
        var other = 0

        static func + (a: Counts, b: Counts) -> Counts { Counts(ascii: a.ascii + b.ascii, other: a.other + b.other) }
    }

    /// The counts of `text`.
    static func counts(_ text: String) -> Counts {
        var c = Counts()
        for byte in text.utf8 {
            if byte < 0x80 {
                c.ascii += 1
            } else if byte & 0xC0 != 0x80 {
                c.other += 1  // the first byte of a multi-byte character
            }
        }
        return c
    }

    /// The estimated token count of a text with these counts.
    static func tokens(_ c: Counts) -> Int {
        (c.ascii + 3) / 4 + c.other
    }
}
