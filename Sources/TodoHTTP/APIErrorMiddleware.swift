import Hummingbird
import ChatKitProtocol
import Logging

// MARK: - APIErrorMiddleware

/// The one place where errors become HTTP answers. Outermost in the router: anything a handler or another
/// middleware throws is mapped here (`HTTPAPIError.from`: domain, ChatKit and auth errors), Hummingbird's own
/// errors get the same JSON body, a method a path does not serve is `405` with `Allow`, and anything else is a
/// logged `500` whose detail stays in the log.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = TodoRequestContext

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router found no route for this method and path (our handlers throw HTTPAPIError).
            if let allowed = OpenAPIDocument.methods(forPath: request.uri.path), !allowed.contains(request.method.rawValue) {
                throw HTTPAPIError.methodNotAllowed(request.method.rawValue, allow: allowed)
            }
            throw HTTPAPIError.notFound("no such resource")
        } catch {
            if let api = HTTPAPIError.from(error) { throw api }
            if let http = error as? HTTPError { throw HTTPAPIError.from(http) }
            logger.error("unhandled error answering \(request.method) \(request.uri.path): \(String(reflecting: error))")
            throw HTTPAPIError.internalError
        }
    }
}

extension OpenAPIDocument {
    /// Each documented path as segments (`{name}` matches any one segment) with its methods, upper-cased.
    private static let routeTable: [(segments: [Substring], methods: [String])] =
        (document["paths"]?.objectValue ?? []).map { path, operations in
            (path.split(separator: "/"), (operations.objectValue ?? []).map { $0.0.uppercased() }.sorted())
        }

    /// The methods the document lists for the path that `path` matches; nil when no documented path matches.
    /// - Parameter path: a request path (no query).
    static func methods(forPath path: String) -> [String]? {
        let segments = path.split(separator: "/")
        var found: [String] = []
        for route in routeTable where route.segments.count == segments.count {
            let matches = zip(route.segments, segments).allSatisfy { template, actual in
                (template.first == "{" && template.last == "}") || template == actual
            }
            // A literal path (`/api/tasks/parse`) is its own resource, not an instance of `/api/tasks/{id}`.
            if matches && route.segments == segments { return route.methods }
            if matches { found += route.methods }
        }
        return found.isEmpty ? nil : Array(Set(found)).sorted()
    }
}
