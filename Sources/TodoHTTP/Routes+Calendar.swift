import Hummingbird
import TodoCore

// MARK: - iCalendar

extension HTTPServer {
    /// `GET /api/tasks.ics`: the signed-in user's tasks as an iCalendar VCALENDAR of VTODOs (see `ICalendar`), with
    /// the same filters as `GET /api/tasks`. A calendar app can subscribe to it with a bearer token.
    static func addCalendarRoutes(to router: Router<TodoRequestContext>, dependencies: HTTPDependencies) {
        let tasks = dependencies.tasks
        router.get("/api/tasks.ics") { request, context -> Response in
            let user = try context.requireUser()
            let now = try RequestDateContext.resolve(request, clock: dependencies.clock, defaultZone: dependencies.timeZone)
            let params = request.uri.queryParameters
            let query = try TaskQueryParameters.query({ params[$0[...]].map(String.init) }, in: now)
            let text = ICalendar.export(try await tasks.tasks(for: user, query: query, context: now), now: now.now)
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
