import Foundation

// MARK: - EmbeddedAsset

/// One UI file compiled into the binary.
public struct EmbeddedAsset: Sendable, Hashable {
    /// The file name inside `Sources/TodoUI/Assets`, e.g. `app.js`.
    public let name: String
    /// The `Content-Type` header value, e.g. `text/javascript; charset=utf-8`.
    public let contentType: String
    /// The file's bytes.
    public let bytes: [UInt8]
    /// The same bytes compressed with gzip -9 (serve with `Content-Encoding: gzip` when the
    /// request's `Accept-Encoding` allows it), or nil when the build had no gzip.
    public let gzipBytes: [UInt8]?
    /// A strong ETag, quotes included, e.g. `"3f9a…"`. Compare with `If-None-Match` for a 304.
    public let etag: String
    /// The `Cache-Control` value to send: HTML pages are revalidated every time; the
    /// scripts and styles too (`no-cache`), because their names carry no content hash.
    public var cacheControl: String { "no-cache" }

    /// - Parameters:
    ///   - name: the file name.
    ///   - contentType: the media type.
    ///   - bytes: the content.
    ///   - gzipBytes: the gzip-compressed content, if any.
    ///   - etag: the quoted ETag.
    public init(name: String, contentType: String, bytes: [UInt8], gzipBytes: [UInt8]?, etag: String) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.gzipBytes = gzipBytes
        self.etag = etag
    }
}

/// The raw form the build-tool plugin generates (see TodoUIEmbedder).
struct GeneratedAssetFile: Sendable {
    let base64: String
    let gzipBase64: String?
    let etag: String
}

// MARK: - EmbeddedAssets

/// The browser UI, compiled into the binary by the `TodoUIEmbedPlugin` build-tool plugin.
///
/// Routes for TodoHTTP (all `GET`/`HEAD`, no authentication needed: the pages themselves
/// find out whether the visitor is signed in by calling `/api/...`):
///
/// | request path        | asset          |
/// |---------------------|----------------|
/// | `/`                 | `index.html`   |
/// | `/login`            | `login.html`   |
/// | `/assets/<name>`    | `<name>` (scripts, styles, icons) |
///
/// Use ``asset(forRequestPath:mode:)`` for all of them; it returns nil for anything else
/// (answer 404). Send ``EmbeddedAsset/contentType``, ``EmbeddedAsset/etag``,
/// ``EmbeddedAsset/cacheControl``, `X-Content-Type-Options: nosniff`, and on every
/// response (HTML at least) `Content-Security-Policy: ` ``contentSecurityPolicy(mode:)``
/// and `Referrer-Policy: no-referrer`.
public enum EmbeddedAssets {
    // MARK: Lookup

    /// Every embedded file, decoded once.
    public static let all: [String: EmbeddedAsset] = {
        var table: [String: EmbeddedAsset] = [:]
        for (name, file) in generatedFiles {
            table[name] = EmbeddedAsset(
                name: name,
                contentType: contentType(forFileName: name),
                bytes: Array(Data(base64Encoded: file.base64) ?? Data()),
                gzipBytes: file.gzipBase64.flatMap { Data(base64Encoded: $0) }.map { Array($0) },
                etag: "\"\(file.etag)\""
            )
        }
        return table
    }()

    /// The request paths that serve an asset: `/`, `/login` and `/assets/<name>` for every
    /// file that is not a page.
    public static var requestPaths: [String] {
        ["/", "/login"] + all.keys.filter { !$0.hasSuffix(".html") }.sorted().map { "/assets/\($0)" }
    }

    /// The asset for a request path, or nil (→ 404).
    /// - Parameters:
    ///   - path: the URL path without query or fragment, e.g. `/assets/app.js`.
    ///   - mode: which chat UI the daemon was started with (`--ui`).
    /// - Returns: the asset; for `/` in ``UIMode/chatkit(domainKey:)`` mode, `index.html`
    ///   rewritten to tell the page to load the official component.
    public static func asset(forRequestPath path: String, mode: UIMode = .builtin) -> EmbeddedAsset? {
        switch path {
        case "/", "/index.html":
            guard let page = all["index.html"] else { return nil }
            return mode.rewrite(page)
        case "/login", "/login.html":
            return all["login.html"]
        default:
            guard path.hasPrefix("/assets/") else { return nil }
            let name = String(path.dropFirst("/assets/".count))
            guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.hasSuffix(".html") else { return nil }
            return all[name]
        }
    }

    // MARK: Content types

    /// The media type for a file name, by extension.
    /// - Parameter name: a file name such as `app.css`.
    public static func contentType(forFileName name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json", "webmanifest": "application/json"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
