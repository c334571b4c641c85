// MARK: - Identifiers

/// A user id: an OS login name (control socket) or a JWT `sub` (HTTP).
///
/// User ids become directory names under the data directory, so they are validated
/// before they are ever used: 1-128 characters of `[A-Za-z0-9_.@-]`, not starting with `.` or `-`.
public struct UserID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The validated raw value.
    public let rawValue: String

    /// Validates `rawValue`.
    /// - Parameter rawValue: the candidate id.
    /// - Throws: `TodoError.validation(field: "user", ...)` when it is not a safe id.
    public init(_ rawValue: String) throws {
        guard Self.isValid(rawValue) else {
            throw TodoError.validation(field: "user", "user id must be 1-128 characters of A-Z a-z 0-9 _ . @ - and must not start with '.' or '-'")
        }
        self.rawValue = rawValue
    }

    /// Whether `raw` is an acceptable user id.
    /// - Parameter raw: the candidate.
    public static func isValid(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        guard (1...128).contains(bytes.count), bytes[0] != UInt8(ascii: "."), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { isIDByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "@") }
    }

    public var description: String { rawValue }
    public static func < (lhs: UserID, rhs: UserID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A task id: 1-64 characters of `[A-Za-z0-9_-]`. New ids look like `t_` plus 10 random base-32 characters.
public struct TaskID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The validated raw value.
    public let rawValue: String

    /// Validates `rawValue`.
    /// - Parameter rawValue: the candidate id.
    /// - Throws: `TodoError.validation(field: "id", ...)`.
    public init(_ rawValue: String) throws {
        guard isSafeID(rawValue) else {
            throw TodoError.validation(field: "id", "task id must be 1-64 characters of A-Z a-z 0-9 _ -")
        }
        self.rawValue = rawValue
    }

    /// A fresh random id.
    /// - Parameter generator: the random source (inject a seeded one in tests).
    @inlinable
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> TaskID {
        TaskID(unchecked: "t_" + randomToken(length: 10, using: &generator))
    }

    /// A fresh id from the system random source.
    public static func random() -> TaskID {
        var rng = SystemRandomNumberGenerator()
        return random(using: &rng)
    }

    @usableFromInline
    init(unchecked: String) { self.rawValue = unchecked }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

// MARK: - Helpers

@inline(__always)
func isIDByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
}

/// Whether `raw` is 1-64 characters of `[A-Za-z0-9_-]`: safe as a file name and in a URL path.
/// - Parameter raw: the candidate.
public func isSafeID(_ raw: String) -> Bool {
    let bytes = raw.utf8
    return (1...64).contains(bytes.count) && bytes.allSatisfy(isIDByte)
}

/// Inlinable (with `randomToken`) so that callers with a concrete generator get a specialised loop instead
/// of a generic call per character.
@usableFromInline
let alphabet: [UInt8] = Array("abcdefghijkmnopqrstuvwxyz23456789".utf8)

/// A random token of lowercase letters and digits (no `l`, `0`, `1`), for ids.
/// - Parameters:
///   - length: how many characters.
///   - generator: the random source.
@inlinable
public func randomToken<G: RandomNumberGenerator>(length: Int, using generator: inout G) -> String {
    var out = [UInt8]()
    out.reserveCapacity(length)
    for _ in 0..<length { out.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
    return String(decoding: out, as: UTF8.self)
}

/// A random token as `randomToken(length:using:)`, one byte per character from `nextByte` (a byte of 231 or
/// more, 7 x 33, is drawn again, so each of the 33 characters is equally likely): about 18 bytes for 16
/// characters, where a generator spends a 64-bit value per character.
/// - Parameters:
///   - length: how many characters.
///   - nextByte: the random source, one uniformly random byte per call.
@inlinable
public func randomToken(length: Int, nextByte: () -> UInt8) -> String {
    let limit = UInt8(256 / alphabet.count * alphabet.count)
    var out = [UInt8]()
    out.reserveCapacity(length)
    while out.count < length {
        let byte = nextByte()
        if byte < limit { out.append(alphabet[Int(byte) % alphabet.count]) }
    }
    return String(decoding: out, as: UTF8.self)
}
