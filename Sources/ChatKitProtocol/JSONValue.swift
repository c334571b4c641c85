// MARK: - JSONValue

/// A JSON value that keeps object key order and number text, so ChatKit payloads round-trip
/// byte for byte (the reference serializes fields in model order and never escapes non-ASCII).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its JSON text (for example `20`, `0.5`, `-1e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object with keys in order; duplicate keys are not merged.
    case object([(String, JSONValue)])

    // MARK: Hashable by structure

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || Double(a) == Double(b)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(Double(n) ?? 0)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    // MARK: Accessors

    /// The value for `key` when this is an object (the first match).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    /// The string, when this is one.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The integer, when this is an integral number.
    public var intValue: Int? {
        guard case .number(let n) = self else { return nil }
        if let i = Int(n) { return i }
        if let d = Double(n), d.rounded() == d, abs(d) < 1e15 { return Int(d) }
        return nil
    }
    /// The Boolean, when this is one.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The fields, when this is an object.
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { o } else { nil } }
    /// Whether this is `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// An integer number.
    /// - Parameter value: the integer.
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// Returns a copy with `key` set (replacing it in place, or appended when absent).
    /// - Parameters:
    ///   - key: the field name.
    ///   - value: the new value.
    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        if let i = fields.firstIndex(where: { $0.0 == key }) { fields[i].1 = value } else { fields.append((key, value)) }
        return .object(fields)
    }

    /// Builds an object, dropping nil values (the reference never sends `null`).
    /// - Parameter fields: ordered fields; nil values are omitted.
    public static func obj(_ fields: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        // Sized once (`compactMap` grows its array by doubling: several reallocations per event).
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(fields.count)
        for (key, value) in fields {
            if let value { members.append((key, value)) }
        }
        return .object(members)
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
}
