#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one JSON document front to back without building it: the caller walks objects and arrays, takes
/// the values it wants (`value()`, built as `JSONValue.parse` builds them) and skips the rest (`skip()`,
/// which checks them as strictly as `parse` does: syntax, escapes, UTF-8, nesting). For hot, known shapes
/// such as a model's stream chunk, where most bytes are members nobody reads (`id`, `object`, `created`,
/// `model`, `system_fingerprint`, `logprobs`): building and freeing those was an eighth of a chat turn's CPU.
///
///     var reader = JSONReader(bytes)
///     try reader.beginObject()
///     while try reader.nextMember() {
///         if reader.keyIs("name") { name = try reader.value() } else { try reader.skip() }
///     }
///     try reader.end()
public struct JSONReader {
    /// The kind of the next value.
    public enum Kind: Sendable { case object, array, string, number, bool, null }

    var parser: JSONParser
    /// Where the current member's key lies (between its quotes) when it has no escape.
    var keyRange: Range<Int> = 0..<0
    /// The current member's key, decoded, when it had an escape.
    var decodedKey: [UInt8]?
    /// For each object or array being read, bit `depth - 1`: whether its first member or element is still to
    /// come (nesting is limited to 64 levels, so one word holds them all without allocating).
    var firstPending: UInt64 = 0

    /// - Parameter bytes: UTF-8 text of one document.
    public init(_ bytes: [UInt8]) {
        parser = JSONParser(bytes: bytes)
    }

    /// - Parameter text: one document (a `String`'s or `Substring`'s UTF-8 is copied in one go).
    public init(_ text: Substring) {
        let utf8 = text.utf8
        self.init(utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(utf8))
    }

    /// The kind of the next value, without reading it.
    /// - Throws: `ChatKitError.malformedJSON` at the end of the input or before a byte no value starts with.
    public mutating func peek() throws -> Kind {
        parser.skipSpace()
        guard parser.i < parser.bytes.count else { throw parser.fail("unexpected end") }
        switch parser.bytes[parser.i] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw parser.fail("invalid value")
        }
    }

    /// Reads the `{` of an object; then call `nextMember()` until it returns false.
    public mutating func beginObject() throws {
        try open(UInt8(ascii: "{"))
    }

    /// Reads up to the next member's value and returns true (`keyIs` then names the member, and the value
    /// must be read with `value()`, `skip()` or a nested `begin…`), or reads the closing `}` and returns false.
    public mutating func nextMember() throws -> Bool {
        guard try next(close: UInt8(ascii: "}")) else { return false }
        parser.skipSpace()
        guard parser.i < parser.bytes.count, parser.bytes[parser.i] == UInt8(ascii: "\"") else { throw parser.fail("expected a key") }
        let start = parser.i + 1
        if let end = try parser.skipString() {
            keyRange = start..<end
            decodedKey = nil
        } else {
            decodedKey = Array(try parser.string().utf8)
        }
        parser.skipSpace()
        guard parser.i < parser.bytes.count, parser.bytes[parser.i] == UInt8(ascii: ":") else { throw parser.fail("expected ':'") }
        parser.i += 1
        return true
    }

    /// The current member's key (decoded; `keyIs` compares without building it).
    public var key: String {
        if let decodedKey { return String(decoding: decodedKey, as: UTF8.self) }
        return String(decoding: parser.bytes[keyRange], as: UTF8.self)
    }

    /// Whether the current member's key is `name`.
    public func keyIs(_ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        if let decodedKey {
            return decodedKey.count == count && decodedKey.withUnsafeBytes { count == 0 || memcmp($0.baseAddress!, name.utf8Start, count) == 0 }
        }
        guard keyRange.count == count else { return false }
        return count == 0 || parser.bytes.withUnsafeBytes { memcmp($0.baseAddress! + keyRange.lowerBound, name.utf8Start, count) == 0 }
    }

    /// Reads the `[` of an array; then call `nextElement()` until it returns false.
    public mutating func beginArray() throws {
        try open(UInt8(ascii: "["))
    }

    /// Returns true when another element follows (to be read next), or reads the closing `]` and returns false.
    public mutating func nextElement() throws -> Bool {
        try next(close: UInt8(ascii: "]"))
    }

    /// Reads the next value and builds it, as `JSONValue.parse` would.
    public mutating func value() throws -> JSONValue {
        parser.skipSpace()
        return try parser.value()
    }

    /// Reads past the next value without building it.
    public mutating func skip() throws {
        parser.skipSpace()
        try parser.skipValue()
    }

    /// Checks that only whitespace follows the document.
    public mutating func end() throws {
        parser.skipSpace()
        guard parser.i == parser.bytes.count else { throw parser.fail("trailing characters") }
    }

    private mutating func open(_ bracket: UInt8) throws {
        parser.skipSpace()
        guard parser.i < parser.bytes.count, parser.bytes[parser.i] == bracket else {
            throw parser.fail(bracket == UInt8(ascii: "{") ? "expected an object" : "expected an array")
        }
        parser.depth += 1
        guard parser.depth <= 64 else { throw parser.fail("nesting too deep") }
        parser.i += 1
        firstPending |= 1 << UInt64(parser.depth - 1)
    }

    /// Before a member or element: the separator, or the closing bracket (then false).
    private mutating func next(close: UInt8) throws -> Bool {
        guard parser.depth > 0 else { throw parser.fail("not inside an object or array") }
        let bit: UInt64 = 1 << UInt64(parser.depth - 1)
        let isFirst = firstPending & bit != 0
        parser.skipSpace()
        guard parser.i < parser.bytes.count else { throw parser.fail("unexpected end") }
        // A closing bracket here ends the object or array; after a separator it is read as a value, which fails.
        if parser.bytes[parser.i] == close {
            parser.i += 1
            parser.depth -= 1
            firstPending &= ~bit
            return false
        }
        if isFirst {
            firstPending &= ~bit
            return true
        }
        guard parser.bytes[parser.i] == UInt8(ascii: ",") else {
            throw parser.fail(close == UInt8(ascii: "}") ? "expected ',' or '}'" : "expected ',' or ']'")
        }
        parser.i += 1
        return true
    }
}
