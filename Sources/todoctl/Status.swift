import ArgumentParser
import Foundation
import TodoControl
import TodoCore

// MARK: - status

/// `todoctl status`: version, pid, uptime, paths and your task counts.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's status.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let status = try await options.client.call(ControlMethods.Status.self, EmptyParams())
        try options.emit(status) { s in
            """
            todod \(s.version) (pid \(s.pid)), up \(Self.uptime(s.uptimeSeconds))
            user            \(s.user)\(s.role.map { " (\($0.rawValue))" } ?? "")
            data directory  \(s.dataDirectory)
            store           \(s.storeLocation ?? s.dataDirectory)
            control socket  \(s.controlSocket)
            http            \(s.http ?? "off")
            your tasks      \(s.tasks.total) (\(s.tasks.pending) pending, \(s.tasks.completed) completed)
            """ + Self.feedback(s.feedback) + Self.figures(s.figures ?? [])
        }
    }

    /// The daemon's headline figures (from its metrics registry), one per line.
    static func figures(_ figures: [StatusFigure]) -> String {
        figures.map { figure in
            let value = figure.value.map { v in
                v == v.rounded() && figure.unit.isEmpty ? String(Int(v)) : String(format: "%.2f", v)
            } ?? "-"
            let name = figure.name.count < 16 ? figure.name + String(repeating: " ", count: 16 - figure.name.count) : figure.name + " "
            return "\n" + name + value + (figure.unit.isEmpty || figure.value == nil ? "" : " " + figure.unit)
        }.joined()
    }

    /// The caller's chat feedback line (nothing from a daemon that predates it).
    static func feedback(_ counts: FeedbackCounts?) -> String {
        guard let counts else { return "" }
        return "\nchat feedback   \(counts.total) (\(counts.positive) up, \(counts.negative) down)"
    }

    static func uptime(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        if s < 86_400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }
}
