import Foundation

// MARK: - Payloads compared as JSON values

/// A parsed JSON value: payloads are compared by meaning, since PostgreSQL keeps them as JSONB (key order and
/// whitespace are not preserved).
enum JSONValue: Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Parses `text`, or nil when it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// Whether two JSON texts mean the same value (both must parse).
func sameJSON(_ a: String, _ b: String) -> Bool {
    guard let x = JSONValue.parse(a), let y = JSONValue.parse(b) else { return false }
    return x == y
}
