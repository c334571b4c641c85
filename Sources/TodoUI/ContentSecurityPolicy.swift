// MARK: - Content-Security-Policy

extension EmbeddedAssets {
    /// The `Content-Security-Policy` header for the UI pages (send it on every response).
    ///
    /// Built-in mode: everything from our own origin only, no inline script or style, no
    /// frames, no plugins, and the page may not be framed. Chatkit mode additionally allows
    /// OpenAI's CDN for the component's script, its iframe and its images, and inline styles
    /// (the component injects them); nothing else.
    /// - Parameter mode: the UI mode the daemon runs with.
    public static func contentSecurityPolicy(mode: UIMode = .builtin) -> String {
        switch mode {
        case .builtin:
            return [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self'",
                "frame-src 'none'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ].joined(separator: "; ")
        case .chatkit:
            let cdn = UIMode.chatKitCDNOrigin
            return [
                "default-src 'self'",
                "script-src 'self' \(cdn)",
                "style-src 'self' 'unsafe-inline' \(cdn)",
                "img-src 'self' data: \(cdn)",
                "font-src 'self' \(cdn)",
                "connect-src 'self' \(cdn)",
                "frame-src \(cdn)",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ].joined(separator: "; ")
        }
    }

    /// Headers every UI response should carry besides the CSP.
    public static let securityHeaders: [(name: String, value: String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
    ]
}
