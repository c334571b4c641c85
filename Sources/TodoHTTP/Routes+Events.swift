#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import ChatKitProtocol
import TodoCore
import NIOCore
import ServiceLifecycle

// MARK: - GET /api/events and GET /healthz

extension HTTPServer {
    static func addEventRoutes(to router: Router<TodoRequestContext>, tasks: any TaskRepository, metrics: HTTPMetrics = .disabled) {
        router.get("/healthz") { _, _ -> Response in
            jsonResponse(.obj(["status": "ok"]))
        }
        router.get("/api/events") { _, context -> Response in
            let user = try context.requireUser()
            let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                metrics.subscriberJoined()
                defer { metrics.subscriberLeft() }
                let (frames, continuation) = AsyncStream<[UInt8]>.makeStream()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                        for await change in tasks.changes(for: user) {
                            let event = try encoder.encode(TaskEvent(kind: change.kind, task: change.task))
                            continuation.yield(SSEFrame.frame(data: event, event: "task"))
                        }
                        // The feed ended (changes may have been missed, or todod is stopping): the client re-reads
                        // its list when it reconnects.
                        continuation.yield(SSEFrame.frame(data: Array(#"{"reason":"changes may have been missed; re-read the list"}"#.utf8), event: "resync"))
                        continuation.finish()
                    }
                    group.addTask {
                        // A comment every 15 s notices clients that went away even when nothing changes.
                        while !Task.isCancelled {
                            try await Task.sleep(for: .seconds(15))
                            continuation.yield(SSEFrame.keepAlive)
                        }
                    }
                    continuation.yield(Array(": connected\n\n".utf8))
                    // Graceful shutdown ends the stream cleanly (terminating chunk) instead of waiting forever.
                    for await frame in frames.cancelOnGracefulShutdown() {
                        try await writer.write(ByteBuffer(bytes: frame))
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
        }
    }
}
