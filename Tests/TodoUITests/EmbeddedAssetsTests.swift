import Foundation
import Testing
import TodoUI

// MARK: - Embedding

@Suite struct EmbeddedAssetsTests {
    /// Sources/TodoUI/Assets, found from this file's path.
    static let assetsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TodoUI/Assets")

    static func sourceFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: assetsDirectory.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func everyAssetFileIsEmbeddedWithItsCurrentBytes() throws {
        let files = try Self.sourceFiles()
        #expect(files.count >= 10)
        #expect(Set(EmbeddedAssets.all.keys) == Set(files))
        for name in files {
            let onDisk = try Data(contentsOf: Self.assetsDirectory.appendingPathComponent(name))
            #expect(EmbeddedAssets.all[name]?.bytes == Array(onDisk), "\(name) is stale in the binary")
        }
    }

    @Test func etagsAreQuotedAndDistinct() {
        let tags = EmbeddedAssets.all.values.map(\.etag)
        #expect(tags.allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.count > 4 })
        #expect(Set(tags).count == tags.count)
    }

    @Test func gzipVariantIsSmallerForText() throws {
        let app = try #require(EmbeddedAssets.all["chat.js"])
        let gz = try #require(app.gzipBytes)
        #expect(gz.starts(with: [0x1f, 0x8b]))
        #expect(gz.count < app.bytes.count / 2)
    }

    // MARK: Routes

    @Test(arguments: [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/login", "login.html", "text/html; charset=utf-8"),
        ("/assets/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "app.css", "text/css; charset=utf-8"),
        ("/assets/icon.svg", "icon.svg", "image/svg+xml"),
    ])
    func routesServeTheirFile(path: String, name: String, type: String) throws {
        let asset = try #require(EmbeddedAssets.asset(forRequestPath: path))
        #expect(asset.name == name)
        #expect(asset.contentType == type)
    }

    @Test(arguments: ["/assets/", "/assets/../Package.swift", "/assets/.hidden", "/assets/index.html", "/assets/a/b.js", "/nope", "/api/tasks"])
    func otherPathsAreNotFound(path: String) {
        #expect(EmbeddedAssets.asset(forRequestPath: path) == nil)
    }

    @Test func requestPathsCoverEveryAssetOnce() {
        let paths = EmbeddedAssets.requestPaths
        #expect(paths.contains("/") && paths.contains("/login") && paths.contains("/assets/chat.js"))
        #expect(paths.allSatisfy { EmbeddedAssets.asset(forRequestPath: $0) != nil })
        #expect(Set(paths).count == paths.count)
    }

    /// Every `/assets/x` the pages name and every `./x.js` a module imports is embedded.
    @Test func referencesResolve() throws {
        let pattern = try NSRegularExpression(pattern: #"(?:/assets/|from "\./|import\("\./)([\w.-]+)"#)
        for (name, asset) in EmbeddedAssets.all where name.hasSuffix(".html") || name.hasSuffix(".js") {
            let text = String(decoding: asset.bytes, as: UTF8.self)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = (text as NSString).substring(with: match.range(at: 1))
                #expect(EmbeddedAssets.all[target] != nil, "\(name) references missing \(target)")
            }
        }
    }
}

// MARK: - UI mode and CSP

@Suite struct UIModeTests {
    @Test func builtinPolicyIsStrict() {
        let csp = EmbeddedAssets.contentSecurityPolicy(mode: .builtin)
        for directive in ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"] {
            #expect(csp.contains(directive))
        }
        #expect(!csp.contains("unsafe"))
        #expect(!csp.contains("https:"))
    }

    @Test func chatkitPolicyAddsOnlyTheCDN() {
        let csp = EmbeddedAssets.contentSecurityPolicy(mode: .chatkit(domainKey: "k"))
        #expect(csp.contains("script-src 'self' https://cdn.platform.openai.com"))
        #expect(csp.contains("frame-src https://cdn.platform.openai.com"))
        #expect(csp.contains("frame-ancestors 'none'"))
        let otherHosts = csp.components(separatedBy: "https://").dropFirst().filter { !$0.hasPrefix("cdn.platform.openai.com") }
        #expect(otherHosts.isEmpty)
    }

    @Test func chatkitModeMarksTheIndexPageAndEscapesTheKey() throws {
        let builtin = try #require(EmbeddedAssets.asset(forRequestPath: "/"))
        let page = try #require(EmbeddedAssets.asset(forRequestPath: "/", mode: .chatkit(domainKey: #"dk"><script>"#)))
        let html = String(decoding: page.bytes, as: UTF8.self)
        #expect(html.contains(#"<meta name="todod-ui" content="chatkit">"#))
        #expect(html.contains(#"<meta name="todod-chatkit-domain-key" content="dk&quot;&gt;&lt;script&gt;">"#))
        #expect(!html.contains("<script>"))
        #expect(page.etag != builtin.etag)
        #expect(page.gzipBytes == nil)
        #expect(String(decoding: builtin.bytes, as: UTF8.self).contains(#"<meta name="todod-ui" content="builtin">"#))
    }

    @Test func loginPageIsTheSameInBothModes() {
        #expect(EmbeddedAssets.asset(forRequestPath: "/login", mode: .chatkit(domainKey: "")) == EmbeddedAssets.asset(forRequestPath: "/login"))
    }
}
