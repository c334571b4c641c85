import Hummingbird
import TodoTools
import NIOCore

// MARK: - /mcp (MCP streamable HTTP)

extension HTTPServer {
    /// `POST`, `GET` and `DELETE /mcp`, forwarded to TodoTools' endpoint after Host/auth/Origin checks
    /// (`SecurityMiddleware` refuses a foreign `Origin` on every method here, before authentication).
    static func addMCPRoutes(to router: Router<TodoRequestContext>, endpoint: MCPHTTPEndpoint, maxBody: Int) {
        let handler: @Sendable (Request, TodoRequestContext) async throws -> Response = { request, context in
            var request = request
            let user = try context.requireUser()
            let body = try await request.collectLimited(maxBody)
            let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { _, b in b })
            let reply = await endpoint.handle(MCPHTTPRequest(method: request.method.rawValue, headers: headers, body: body), user: user)
            var fields = HTTPFields()
            for (name, value) in reply.headers {
                if let field = HTTPFields.Element.Name(name) { fields[field] = value }
            }
            let status = HTTPResponse.Status(code: reply.status)
            switch reply.body {
            case .bytes(let bytes):
                return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            case .stream(let chunks):
                return Response(status: status, headers: fields, body: ResponseBody { writer in
                    for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                    try await writer.finish(nil)
                })
            }
        }
        router.post("/mcp", use: handler)
        router.get("/mcp", use: handler)
        router.delete("/mcp", use: handler)
    }
}
