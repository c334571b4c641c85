import FoundationEssentials

// MARK: - JWTHeaderPeek

/// Reads the `alg` of a compact JWT's header before any verification, so `none` and
/// every non-HS256 algorithm are refused up front regardless of the key collection.
enum JWTHeaderPeek {
    /// The header's `alg`, or nil when the token is not three base64url segments with a JSON header.
    /// - Parameter token: the compact JWT.
    static func algorithm(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = base64URLDecode(parts[0]) else { return nil }
        struct Header: Decodable { let alg: String }
        return (try? JSONDecoder().decode(Header.self, from: Data(header)))?.alg
    }

    /// Decodes base64url without padding.
    static func base64URLDecode(_ s: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in s.utf8 {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2D: v = 62
            case 0x5F: v = 63
            case 0x3D: continue
            default: return nil
            }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
