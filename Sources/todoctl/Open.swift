import ArgumentParser
import Foundation
import TodoControl

// MARK: - open

/// `todoctl open`: a one-time login URL for the web UI, opened in a browser when one is available.
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open the web UI signed in (prints the one-time URL).")

    @OptionGroup var options: GlobalOptions
    @Flag(name: .long, help: "Only print the URL.") var noBrowser = false

    func run() async throws {
        let result = try await options.client.call(ControlMethods.LoginCode.self, EmptyParams())
        try options.emit(result) { "Open this URL within 60 seconds (it works once):\n\($0.url)" }
        let env = ProcessInfo.processInfo.environment
        guard !noBrowser, !options.json, env["DISPLAY"] != nil || env["WAYLAND_DISPLAY"] != nil,
              let opener = ["/usr/bin/xdg-open", "/usr/local/bin/xdg-open"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [result.url]
        try? process.run()
    }
}
