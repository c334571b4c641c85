public import Foundation
public import Hummingbird
public import TodoCore

// MARK: - RequestDateContext

/// "Now" and the zone one HTTP request is seen from: the `X-Time-Zone` header (an IANA name the browser sends
/// on every request, REST and ChatKit alike) or the daemon's zone, and the daemon's clock. The one place that
/// reads the header, so every route resolves "tomorrow" and "overdue" the same way.
public enum RequestDateContext {
    /// `X-Time-Zone`: the caller's IANA zone name.
    public static let header = HTTPFields.Element.Name("X-Time-Zone")!

    /// The context for a request.
    /// - Parameters:
    ///   - request: the request (only its `X-Time-Zone` header is read).
    ///   - clock: the daemon's clock.
    ///   - defaultZone: the daemon's zone, used when the header is absent.
    /// - Throws: `TodoError.validation(field: "time_zone")` (422) when the header names an unknown zone.
    public static func resolve(_ request: Request, clock: any WallClock, defaultZone: TimeZone) throws -> DateContext {
        try resolve(header: request.headers[header], clock: clock, defaultZone: defaultZone)
    }

    /// The context for a header value (nil when the header is absent).
    /// - Parameters:
    ///   - header: the `X-Time-Zone` value, if sent.
    ///   - clock: the daemon's clock.
    ///   - defaultZone: the zone when `header` is nil.
    /// - Throws: `TodoError.validation(field: "time_zone")` when the value is not a known IANA name.
    public static func resolve(header: String?, clock: any WallClock, defaultZone: TimeZone) throws -> DateContext {
        let resolved = try header.map { try zone(named: $0) } ?? defaultZone
        return DateContext(now: clock.now(), zone: resolved)
    }

    /// The IANA names HTTP accepts: the system's zone database (`TimeZone.knownTimeZoneIdentifiers`) and `UTC`,
    /// sorted; the OpenAPI document lists exactly these.
    public static let knownZones: [String] = Array(Set(TimeZone.knownTimeZoneIdentifiers + ["UTC"])).sorted()
    private static let knownZoneSet = Set(knownZones)

    /// A zone by its IANA name, checked against `knownZones` and then `DateContext.zone(named:)`.
    /// - Parameter name: the name (from `X-Time-Zone` or a body's `time_zone`).
    /// - Throws: `TodoError.validation(field: "time_zone")` for a name that is not a known zone.
    public static func zone(named name: String) throws -> TimeZone {
        guard knownZoneSet.contains(name) else {
            throw TodoError.validation(field: "time_zone", "unknown time zone \"\(name.prefix(64))\" (use an IANA name such as Europe/Berlin)")
        }
        return try DateContext.zone(named: name, field: "time_zone")
    }

    /// The same instant seen from another zone named in a body (`time_zone`), or `context` when none is given.
    /// - Parameters:
    ///   - context: the request's context.
    ///   - name: the body's `time_zone`, if any.
    /// - Throws: `TodoError.validation(field: "time_zone")` for an unknown name.
    public static func overriding(_ context: DateContext, zoneNamed name: String?) throws -> DateContext {
        guard let name else { return context }
        return DateContext(now: context.now, zone: try zone(named: name))
    }
}
