import Hummingbird
import TodoUI
import NIOCore

// MARK: - UI pages and assets

extension HTTPServer {
    static func addStaticRoutes(to router: Router<TodoRequestContext>, mode: UIMode) {
        let csp = EmbeddedAssets.contentSecurityPolicy(mode: mode)
        let serve: @Sendable (Request, TodoRequestContext) async throws -> Response = { request, _ in
            guard let asset = EmbeddedAssets.asset(forRequestPath: request.uri.path, mode: mode) else {
                throw HTTPAPIError.notFound("no such page")
            }
            var headers: HTTPFields = [
                .contentType: asset.contentType, .eTag: asset.etag, .cacheControl: asset.cacheControl,
                .contentSecurityPolicy: csp, .vary: "Accept-Encoding",
            ]
            for (name, value) in EmbeddedAssets.securityHeaders {
                if let field = HTTPFields.Element.Name(name) { headers[field] = value }
            }
            if request.headers[.ifNoneMatch] == asset.etag {
                return Response(status: .notModified, headers: headers)
            }
            if let gz = asset.gzipBytes, (request.headers[.acceptEncoding] ?? "").contains("gzip") {
                headers[.contentEncoding] = "gzip"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: gz)))
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        router.get("/", use: serve)
        router.get("/login", use: serve)
        router.get("/assets/{name}", use: serve)
    }
}
