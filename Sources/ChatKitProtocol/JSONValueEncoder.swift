// MARK: - Encoding to compact JSON

/// Encodes an `Encodable` value to compact JSON without Foundation's `JSONEncoder` (which builds its own
/// tree through boxed, type-erased containers: a fifth of a control request's instructions).
///
/// The output is what `JSONEncoder` with `.withoutEscapingSlashes` writes, up to number spelling: keys in
/// the order the value encodes them (or sorted by their UTF-8 bytes, as `.sortedKeys`), nil optionals
/// omitted (`encodeIfPresent`), integers in decimal, other numbers in their shortest round-trip form; a
/// non-finite number throws `EncodingError.invalidValue`, as `JSONEncoder` does.
public enum JSONValueEncoder {
    /// The compact JSON of `value`.
    /// - Parameters:
    ///   - value: the value to encode.
    ///   - sortedKeys: whether object keys are sorted (else in the order the value encodes them).
    /// - Throws: `EncodingError` when the value cannot be written as JSON.
    public static func encode(_ value: some Encodable, sortedKeys: Bool = false) throws -> [UInt8] {
        try self.value(value, sortedKeys: sortedKeys).bytes
    }

    /// `value` as a `JSONValue`.
    /// - Parameters:
    ///   - value: the value to encode.
    ///   - sortedKeys: whether object keys are sorted.
    /// - Throws: `EncodingError` when the value cannot be written as JSON.
    public static func value(_ value: some Encodable, sortedKeys: Bool = false) throws -> JSONValue {
        if let scalar = try scalar(value, []) { return scalar }
        let node = Node()
        try value.encode(to: TreeEncoder(node: node, codingPath: []))
        return node.resolved(sorted: sortedKeys)
    }

    static func scalar(_ value: some Encodable, _ path: [any CodingKey]) throws -> JSONValue? {
        switch value {
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Int: return .number(String(v))
        case let v as Double: return try number(v, path)
        case let v as Float: return try number(Double(v), path)
        case let v as any FixedWidthInteger: return .number(String(describing: v))
        default: return nil
        }
    }

    static func number(_ value: Double, _ path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        if value.rounded() == value, abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number("\(value)")
    }
}

/// The value one encoder writes into; containers fill it in place.
private final class Node {
    var value: JSONValue = .object([])
    var fields: [(String, Node)]?
    var elements: [Node]?

    /// The finished value (containers resolved; object keys sorted by their UTF-8 bytes when `sorted`).
    func resolved(sorted: Bool) -> JSONValue {
        if var fields {
            if sorted { fields.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) } }
            return .object(fields.map { ($0.0, $0.1.resolved(sorted: sorted)) })
        }
        if let elements { return .array(elements.map { $0.resolved(sorted: sorted) }) }
        return value
    }
}

private struct TreeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.fields == nil { node.fields = [] }
        return KeyedEncodingContainer(KeyedTreeEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.elements == nil { node.elements = [] }
        return UnkeyedTreeEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleTreeEncoder(node: node, codingPath: codingPath) }
}

/// Writes `value` into `node` (a scalar directly, anything else through its `encode(to:)`).
private func write(_ value: some Encodable, into node: Node, path: [any CodingKey]) throws {
    if let scalar = try JSONValueEncoder.scalar(value, path) {
        node.value = scalar
        return
    }
    try value.encode(to: TreeEncoder(node: node, codingPath: path))
}

private struct KeyedTreeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> Node {
        let child = Node()
        if let i = node.fields?.firstIndex(where: { $0.0 == key.stringValue }) {
            node.fields?[i].1 = child
        } else {
            node.fields?.append((key.stringValue, child))
        }
        return child
    }

    mutating func encodeNil(forKey key: Key) throws { child(key).value = .null }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try write(value, into: child(key), path: codingPath + [key])
    }

    // Each scalar requirement (the protocol has no defaults for them).
    mutating func encode(_ value: Bool, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: String, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try write(value, into: child(key), path: codingPath + [key]) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = TreeKey(stringValue: "super")
        let child = Node()
        node.fields?.append((key.stringValue, child))
        return TreeEncoder(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(node: child(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedTreeEncoder: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.elements?.count ?? 0 }

    private func next() -> (Node, [any CodingKey]) {
        let child = Node()
        let path = codingPath + [TreeKey(intValue: count)]
        node.elements?.append(child)
        return (child, path)
    }

    mutating func encodeNil() throws { next().0.value = .null }

    mutating func encode<T: Encodable>(_ value: T) throws { try encodeNext(value) }

    private mutating func encodeNext<T: Encodable>(_ value: T) throws {
        let (child, path) = next()
        try write(value, into: child, path: path)
    }

    mutating func encode(_ value: Bool) throws { try encodeNext(value) }
    mutating func encode(_ value: String) throws { try encodeNext(value) }
    mutating func encode(_ value: Double) throws { try encodeNext(value) }
    mutating func encode(_ value: Float) throws { try encodeNext(value) }
    mutating func encode(_ value: Int) throws { try encodeNext(value) }
    mutating func encode(_ value: Int8) throws { try encodeNext(value) }
    mutating func encode(_ value: Int16) throws { try encodeNext(value) }
    mutating func encode(_ value: Int32) throws { try encodeNext(value) }
    mutating func encode(_ value: Int64) throws { try encodeNext(value) }
    mutating func encode(_ value: UInt) throws { try encodeNext(value) }
    mutating func encode(_ value: UInt8) throws { try encodeNext(value) }
    mutating func encode(_ value: UInt16) throws { try encodeNext(value) }
    mutating func encode(_ value: UInt32) throws { try encodeNext(value) }
    mutating func encode(_ value: UInt64) throws { try encodeNext(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (child, path) = next()
        return TreeEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (child, path) = next()
        return TreeEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let (child, path) = next()
        return TreeEncoder(node: child, codingPath: path)
    }
}

private struct SingleTreeEncoder: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.value = .null }

    mutating func encode<T: Encodable>(_ value: T) throws { try write(value, into: node, path: codingPath) }

    mutating func encode(_ value: Bool) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: String) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Double) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Float) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Int) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Int8) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Int16) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Int32) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: Int64) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: UInt) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: UInt8) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: UInt16) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: UInt32) throws { try write(value, into: node, path: codingPath) }
    mutating func encode(_ value: UInt64) throws { try write(value, into: node, path: codingPath) }
}
