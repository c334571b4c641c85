// MARK: - Server-sent events

/// The one server-sent-events writer: every SSE stream todod serves (ChatKit turns on `POST /api/chatkit`,
/// task changes on `GET /api/events`) frames its events here.
public enum SSEFrame {
    /// One event: `event: NAME` (when named), then `data: PAYLOAD`, then the blank line that ends it.
    /// - Parameters:
    ///   - payload: the data, on one line (compact JSON is).
    ///   - event: the event name; unnamed events are `message` events to the browser.
    public static func frame(data payload: some Collection<UInt8>, event: String? = nil) -> [UInt8] {
        frame(event: event, capacity: payload.count) { $0 += payload }
    }

    /// One event whose data `writePayload` appends in place (no intermediate buffer for the payload).
    /// - Parameters:
    ///   - event: the event name; unnamed events are `message` events to the browser.
    ///   - capacity: the expected payload size.
    ///   - writePayload: appends the data, on one line, to the frame.
    public static func frame(event: String? = nil, capacity: Int = 256, writePayload: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity + 10 + (event.map { $0.utf8.count + 8 } ?? 0))
        if let event {
            out += "event: ".utf8
            out += event.utf8
            out.append(0x0A)
        }
        out += "data: ".utf8
        writePayload(&out)
        out += [0x0A, 0x0A]
        return out
    }

    /// A comment frame that keeps an idle stream alive and lets the server notice clients that went away.
    public static let keepAlive: [UInt8] = Array(": ping\n\n".utf8)
}
