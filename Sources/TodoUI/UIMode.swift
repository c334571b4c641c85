import Foundation

// MARK: - UIMode

/// Which chat panel the pages use: ours (default, works offline) or OpenAI's official
/// `<openai-chatkit>` web component loaded from OpenAI's CDN (`todod --ui chatkit`).
public enum UIMode: Sendable, Hashable {
    /// The built-in ChatKit-protocol client: no external requests at all.
    case builtin
    /// The official web component from `https://cdn.platform.openai.com`, pointed at our
    /// `/api/chatkit` with the session cookie; the page falls back to the built-in panel
    /// when the CDN cannot be reached.
    /// - Parameter domainKey: the ChatKit domain key registered with OpenAI (may be empty
    ///   for localhost development).
    case chatkit(domainKey: String)

    /// The origin the official component loads from, allowed by the CSP in chatkit mode only.
    public static let chatKitCDNOrigin = "https://cdn.platform.openai.com"
    /// The script URL of the official component.
    public static let chatKitScriptURL = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"

    /// `index.html` with its `todod-ui` meta tags set for this mode.
    func rewrite(_ page: EmbeddedAsset) -> EmbeddedAsset {
        guard case .chatkit(let domainKey) = self else { return page }
        var html = String(decoding: page.bytes, as: UTF8.self)
        html = html.replacingFirst(#"<meta name="todod-ui" content="builtin">"#, with: #"<meta name="todod-ui" content="chatkit">"#)
        html = html.replacingFirst(
            #"<meta name="todod-chatkit-domain-key" content="">"#,
            with: #"<meta name="todod-chatkit-domain-key" content="\#(Self.attributeEscaped(domainKey))">"#
        )
        let bytes = Array(html.utf8)
        return EmbeddedAsset(
            name: page.name,
            contentType: page.contentType,
            bytes: bytes,
            gzipBytes: nil,
            etag: String(page.etag.dropLast()) + "-chatkit-\(Self.stableHash(domainKey))\""
        )
    }

    /// FNV-1a 32 of the key, in hex: stable across launches (unlike `hashValue`).
    static func stableHash(_ text: String) -> String {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return String(hash, radix: 16)
    }

    static func attributeEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}

// MARK: - String helper

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
