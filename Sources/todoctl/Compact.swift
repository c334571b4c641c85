import ArgumentParser
import TodoControl

// MARK: - compact

/// `todoctl compact`: rewrite the data files now.
struct Compact: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compact the data files now (it also happens by itself). Operators only.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let result = try await options.client.call(ControlMethods.Compact.self, EmptyParams())
        try options.emit(result) { $0.message }
    }
}
