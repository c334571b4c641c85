import Foundation
import Testing
import TodoDaemon
import TodoTesting

// MARK: - The ordinary command line, read without ArgumentParser

@Suite("todod command line fast path")
struct DaemonCommandLineTests {
    @Test func readsEveryFormOfAnOrdinaryStart() throws {
        let parsed = try #require(DaemonCommandLine.parse([
            "--data-dir", "/d", "--http=127.0.0.1:0", "--log-level", "warning", "--idle-timeout", "30",
            "--llm-max-rounds=3", "--repair", "--control-socket", "/s.sock",
        ]))
        var expected = DaemonOverrides()
        expected.dataDirectory = "/d"
        expected.http = "127.0.0.1:0"
        expected.logLevel = "warning"
        expected.idleTimeoutSeconds = 30
        expected.llmMaxRounds = 3
        expected.repair = true
        expected.controlSocket = "/s.sock"
        #expect(parsed.overrides == expected)
        #expect(!parsed.checkConfig)
        #expect(DaemonCommandLine.parse(["--check-config"])?.checkConfig == true)
        #expect(DaemonCommandLine.parse([]) == DaemonCommandLine.Parsed())
    }

    /// Everything that is not an ordinary start goes to ArgumentParser (nil), so its messages stay.
    @Test(arguments: [
        ["--help"], ["-h"], ["--version"], ["--data-dir"], ["--data-dir", "--http", "off"], ["--data-dir="],
        ["--idle-timeout", "soon"], ["--idle-timeout", "-1"], ["--repair=yes"], ["--http", "off", "--http", "on"],
        ["--dta-dir", "/d"], ["positional"], ["--"], ["-x"], ["--generate-completion-script", "bash"],
    ])
    func handsEverythingElseToArgumentParser(arguments: [String]) {
        #expect(DaemonCommandLine.parse(arguments) == nil, "\(arguments)")
    }

    /// The fast path knows exactly the flags of the configuration table plus `--config`, `--repair` and `--check-config`.
    @Test func knowsExactlyTheConfigurationFlags() {
        let table = Set(DaemonConfiguration.settingKeys.compactMap(\.flag).map { String($0.dropFirst(2)) })
        #expect(DaemonCommandLine.longNames == table.union(["config", "repair", "check-config"]))
    }

    /// And every one of them is an option of the ArgumentParser command (`todod --help` lists it).
    @Test func argumentParserListsTheSameFlags() async throws {
        let result = try await runProcess(try BuildProducts.path(of: "todod"), ["--help"], environment: DaemonProcess.baseEnvironment())
        #expect(result.status == 0)
        for name in DaemonCommandLine.longNames { #expect(result.stdout.contains("--\(name) "), "--\(name) in --help") }
    }

    /// A start the fast path rejects still fails the way ArgumentParser reports it (usage error, exit 64).
    @Test func aBadFlagStillGetsArgumentParsersMessage() async throws {
        let result = try await runProcess(try BuildProducts.path(of: "todod"), ["--idle-timeout", "soon"], environment: DaemonProcess.baseEnvironment())
        #expect(result.status == 64)
        #expect(result.stderr.contains("idle-timeout"))
    }
}
