public import TodoCore

// MARK: - Patchable

/// One field of a partial update as it came over the wire: absent (keep), `null` (clear) or a value (set).
///
/// Declare the property non-optional (`var due: Patchable<String> = .absent`); the `KeyedDecodingContainer`
/// and `KeyedEncodingContainer` overloads below make a missing key decode to `.absent` and skip `.absent`
/// when encoding, so synthesized `Codable` conformances keep the three states apart.
public enum Patchable<Wrapped> {
    /// The key was not sent: keep the field.
    case absent
    /// The key was `null`: clear the field.
    case null
    /// The key had a value: set the field.
    case value(Wrapped)

    /// An optional as a patch: nil clears.
    /// - Parameter optional: the new value, or nil to clear.
    public init(clearingWith optional: Wrapped?) {
        self = optional.map(Patchable.value) ?? .null
    }

    /// Whether the key was sent.
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// The value, when one was sent.
    public var value: Wrapped? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// Turns the wire state into a model edit: absent → nil (keep), null → `.clear`, value → `.set` of `transform`.
    /// - Parameter transform: maps the wire value to the model value (may throw a validation error).
    public func edit<T: Hashable & Sendable>(_ transform: (Wrapped) throws -> T) rethrows -> FieldEdit<T>? {
        switch self {
        case .absent: nil
        case .null: .clear
        case .value(let v): .set(try transform(v))
        }
    }
}

extension Patchable: Sendable where Wrapped: Sendable {}
extension Patchable: Equatable where Wrapped: Equatable {}
extension Patchable: Hashable where Wrapped: Hashable {}

extension Patchable: Codable where Wrapped: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self = c.decodeNil() ? .null : .value(try c.decode(Wrapped.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .absent, .null: try c.encodeNil()
        case .value(let v): try c.encode(v)
        }
    }
}

extension KeyedDecodingContainer {
    /// A missing key is `.absent` (not an error).
    public func decode<T: Codable>(_ type: Patchable<T>.Type, forKey key: Key) throws -> Patchable<T> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(T.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    /// An `.absent` value writes no key.
    public mutating func encode<T: Codable>(_ value: Patchable<T>, forKey key: Key) throws {
        switch value {
        case .absent: return
        case .null: try encodeNil(forKey: key)
        case .value(let v): try encode(v, forKey: key)
        }
    }
}
