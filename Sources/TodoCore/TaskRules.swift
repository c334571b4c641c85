// MARK: - TaskRules

/// The validation rules for task fields. Every failure is `TodoError.validation` naming the field.
public enum TaskRules {
    /// Longest title, in characters, after trimming.
    public static let maxTitle = 200
    /// Longest description, in characters, after trimming.
    public static let maxDescription = 1000
    /// Most labels on one task.
    public static let maxLabels = 20
    /// Longest label, in characters.
    public static let maxLabel = 32
    /// Longest project name, in characters.
    public static let maxProject = 64

    /// Trims and checks a title.
    /// - Parameter raw: the title as given.
    public static func title(_ raw: String) throws -> String {
        let t = trim(raw)
        guard !t.isEmpty else { throw TodoError.validation(field: "title", "title must not be empty") }
        // At most `maxTitle` UTF-8 bytes is at most `maxTitle` characters: count characters only beyond that.
        guard t.utf8.count <= maxTitle || t.count <= maxTitle else {
            throw TodoError.validation(field: "title", "title must be at most \(maxTitle) characters")
        }
        return t
    }

    /// Trims and checks a description; empty becomes nil.
    /// - Parameter raw: the description as given.
    public static func description(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        let t = trim(raw)
        guard t.count <= maxDescription else {
            throw TodoError.validation(field: "description", "description must be at most \(maxDescription) characters")
        }
        return t.isEmpty ? nil : t
    }

    /// Checks a priority: 1 (highest) to 4, or nil.
    /// - Parameter raw: the priority.
    public static func priority(_ raw: Int?) throws -> Int? {
        guard let raw else { return nil }
        guard (1...4).contains(raw) else { throw TodoError.validation(field: "priority", "priority must be 1 (highest) to 4") }
        return raw
    }

    /// Normalizes labels: lowercased, de-duplicated, sorted; each 1-32 letters, digits, `_`, `-` or `.`.
    /// - Parameter raw: the labels as given (a leading `@` is dropped).
    public static func labels(_ raw: [String]) throws -> [String] {
        guard !raw.isEmpty else { return [] }
        var out = Set<String>()
        for label in raw {
            var l = trim(label).lowercased()
            if l.hasPrefix("@") { l.removeFirst() }
            guard !l.isEmpty, l.count <= maxLabel else {
                throw TodoError.validation(field: "labels", "each label must be 1-\(maxLabel) characters")
            }
            guard l.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.".unicodeScalars.contains($0) }) else {
                throw TodoError.validation(field: "labels", "label \"\(l.prefix(maxLabel))\" may only hold letters, digits, _, - and .")
            }
            out.insert(l)
        }
        guard out.count <= maxLabels else { throw TodoError.validation(field: "labels", "a task has at most \(maxLabels) labels") }
        return out.sorted()
    }

    /// Trims and checks a project name; empty becomes nil.
    /// - Parameter raw: the name as given (a leading `#` is dropped).
    public static func project(_ raw: String?) throws -> String? {
        guard let raw else { return nil }
        var t = trim(raw)
        if t.hasPrefix("#") { t = trim(String(t.dropFirst())) }
        guard t.count <= maxProject else { throw TodoError.validation(field: "project", "project must be at most \(maxProject) characters") }
        guard t.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw TodoError.validation(field: "project", "project must not contain control characters")
        }
        return t.isEmpty ? nil : t
    }

    /// Checks a due date's recurrence pairing and anchors the rule to the due date.
    /// - Parameters:
    ///   - recurrence: the rule.
    ///   - due: the due date.
    public static func recurrence(_ recurrence: Recurrence?, due: TaskDue?) throws -> Recurrence? {
        guard let recurrence else { return nil }
        guard let due else { throw TodoError.validation(field: "recurrence", "a recurring task needs a due date") }
        return recurrence.anchored(to: due.date)
    }

    /// Drops leading and trailing Unicode `White_Space` scalars (scalar by scalar, so a space carrying a combining
    /// mark keeps the mark: a title is blank exactly when it has no scalar outside `White_Space`, which is what
    /// the HTTP contract's pattern says).
    static func trim(_ s: String) -> String {
        // Printable ASCII at both ends (the common case) is not whitespace: nothing to trim, no copy.
        if let first = s.utf8.first, let last = s.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return s }
        var sub = Substring(s).unicodeScalars
        while let f = sub.first, f.properties.isWhitespace { sub.removeFirst() }
        while let l = sub.last, l.properties.isWhitespace { sub.removeLast() }
        return String(Substring(sub))
    }
}
