typealias JSONTree = JSONValue

// MARK: - Decoding from a parsed value

/// Decodes `Decodable` values from an already parsed `JSONValue`, without Foundation's `JSONDecoder`: a
/// request is parsed once (by `JSONValue.parse`) and its typed parts are read from that tree.
///
/// It fails the way `JSONDecoder` does, so callers that map `DecodingError`s to messages name the same field:
/// `keyNotFound` for a missing key, `valueNotFound` for `null` where a value is required, `typeMismatch` for
/// a value of another JSON type, `dataCorrupted` for a number that does not fit. Integers accept integral
/// numbers written with a fraction or exponent (`2.0`, `1e2`), as `JSONDecoder` does. When an object repeats
/// a key, the last value counts.
public enum JSONValueDecoder {
    /// `value` decoded as `T`.
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - value: the parsed JSON.
    /// - Throws: `DecodingError`, with the coding path of the part that does not fit.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONTreeDecoder.decode(type, value, [])
    }
}

struct JSONTreeDecoder: Decoder {
    let value: JSONTree
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONTree, codingPath: [any CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else {
            throw Self.mismatch([String: Any].self, value, codingPath)
        }
        var members: [String: JSONTree] = [:]
        members.reserveCapacity(fields.count)
        for (key, member) in fields { members[key] = member }
        return KeyedDecodingContainer(KeyedTree<Key>(members: members, keys: fields.map(\.0), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([Any].self, value, codingPath) }
        return UnkeyedTree(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleTree(value: value, codingPath: codingPath) }

    // MARK: Scalars

    static func mismatch(_ type: Any.Type, _ value: JSONTree, _ path: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "Cannot get \(type) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(kind(value)) instead."))
    }

    static func kind(_ value: JSONTree) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "dictionary"
        }
    }

    /// `value` as `T` when `T` is a JSON scalar type this decoder reads directly; nil for other types.
    static func scalar<T>(_ type: T.Type, _ value: JSONTree, _ path: [any CodingKey]) throws -> T? {
        switch type {
        case is String.Type:
            guard case .string(let s) = value else { throw mismatch(type, value, path) }
            return s as? T
        case is Bool.Type:
            guard case .bool(let b) = value else { throw mismatch(type, value, path) }
            return b as? T
        case is Int.Type: return try integer(Int.self, value, path) as? T
        case is Int8.Type: return try integer(Int8.self, value, path) as? T
        case is Int16.Type: return try integer(Int16.self, value, path) as? T
        case is Int32.Type: return try integer(Int32.self, value, path) as? T
        case is Int64.Type: return try integer(Int64.self, value, path) as? T
        case is UInt.Type: return try integer(UInt.self, value, path) as? T
        case is UInt8.Type: return try integer(UInt8.self, value, path) as? T
        case is UInt16.Type: return try integer(UInt16.self, value, path) as? T
        case is UInt32.Type: return try integer(UInt32.self, value, path) as? T
        case is UInt64.Type: return try integer(UInt64.self, value, path) as? T
        case is Double.Type:
            guard case .number(let text) = value else { throw mismatch(type, value, path) }
            guard let d = Double(text), d.isFinite else { throw corrupted(type, text, path) }
            return d as? T
        case is Float.Type:
            guard case .number(let text) = value else { throw mismatch(type, value, path) }
            guard let f = Float(text), f.isFinite else { throw corrupted(type, text, path) }
            return f as? T
        default: return nil
        }
    }

    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONTree, _ path: [any CodingKey]) throws -> I {
        guard case .number(let text) = value else { throw mismatch(type, value, path) }
        if let i = I(text) { return i }
        if let d = Double(text), d.rounded() == d, let i = I(exactly: d) { return i }
        throw corrupted(type, text, path)
    }

    static func corrupted(_ type: Any.Type, _ text: String, _ path: [any CodingKey]) -> DecodingError {
        // JSONDecoder reports a number that does not fit with an empty coding path; kept, so callers answer alike.
        .dataCorrupted(.init(codingPath: [], debugDescription: "Parsed JSON number <\(text)> does not fit in \(type)."))
    }

    /// Decodes `T` from `value`: scalars directly, everything else through its `init(from:)`.
    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONTree, _ path: [any CodingKey]) throws -> T {
        if let s = try scalar(type, value, path) { return s }
        return try T(from: JSONTreeDecoder(value, codingPath: path))
    }
}

// MARK: - Containers

/// A coding key for array positions and dictionary keys.
struct TreeKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONTree]
    let keys: [String]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONTree {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONTreeDecoder.decode(type, try member(key), codingPath + [key])
    }

    // Each scalar requirement (the protocol has no defaults for them).
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONTreeDecoder.decode(type, try member(key), codingPath + [key]) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try JSONTreeDecoder.decode(type, value, codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONTreeDecoder(try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONTreeDecoder(try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = TreeKey(stringValue: "super")
        return JSONTreeDecoder(members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONTreeDecoder(members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedTree: UnkeyedDecodingContainer {
    let elements: [JSONTree]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONTree], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONTree, [any CodingKey]) {
        let path = codingPath + [TreeKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeNext(type) }

    private mutating func decodeNext<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONTreeDecoder.decode(type, value, path)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeNext(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeNext(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeNext(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeNext(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeNext(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeNext(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeNext(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeNext(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeNext(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeNext(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeNext(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeNext(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeNext(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeNext(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: Any].self)
        return try JSONTreeDecoder(value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([Any].self)
        return try JSONTreeDecoder(value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(Any.self)
        return JSONTreeDecoder(value, codingPath: path)
    }
}

private struct SingleTree: SingleValueDecodingContainer {
    let value: JSONTree
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONTreeDecoder.decode(type, value, codingPath) }

    func decode(_ type: Bool.Type) throws -> Bool { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONTreeDecoder.decode(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONTreeDecoder.decode(type, value, codingPath) }
}
