import Hummingbird
import TodoCore

// MARK: - iCalendar

extension HTTPServer {
    /// `GET /api/tasks.ics`: the signed-in user's tasks as an iCalendar VCALENDAR of VTODOs (see `ICalendar`), with
    /// the same `status` filter as `GET /api/tasks`. A calendar app can subscribe to it with a bearer token.
    static func addCalendarRoutes(to router: Router<TodoRequestContext>, tasks: any TaskRepository, clock: any WallClock) {
        router.get("/api/tasks.ics") { request, context -> Response in
            let user = try context.requireUser()
            let filter = try TaskFilter(parsing: request.uri.queryParameters["status"].map(String.init))
            let text = ICalendar.export(try await tasks.tasks(for: user, filter: filter), now: clock.now())
            return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
