import Testing
import TodoDaemon

// MARK: - The model settings of issue 12: context window, parallel_tool_calls, titles

@Suite("todod configuration: context window, parallel_tool_calls, titles")
struct ConfigurationLLMSettingsTests {
    func resolve(flags: DaemonOverrides = DaemonOverrides(), env: [String: String] = [:], file: [String: String] = [:]) throws -> DaemonConfiguration {
        try DaemonConfiguration.resolve(overrides: flags, environment: env, file: file, configFile: "/etc/todod.conf")
    }

    @Test func defaultsLayersAndHandOver() throws {
        let defaults = try resolve()
        #expect(defaults.llmContextWindow == 16_384 && defaults.llmParallelToolCalls == nil && defaults.llmTitles)
        var flags = DaemonOverrides()
        flags.llmContextWindow = 32_768
        let config = try resolve(flags: flags, env: ["TODOD_LLM_PARALLEL_TOOL_CALLS": "false", "TODOD_LLM_CONTEXT_WINDOW": "8192"],
                                 file: ["llm_titles": "off", "llm_parallel_tool_calls": "true"])
        #expect(config.llmContextWindow == 32_768)
        #expect(config.llmParallelToolCalls == false)
        #expect(!config.llmTitles)
        #expect(config.sources["llm_titles"] == "llm_titles in /etc/todod.conf")
        // What the assistant reads back is the resolved value.
        let handed = config.environmentWithResolvedLLM(["TODOD_LLM_PARALLEL_TOOL_CALLS": "true"])
        #expect(handed["TODOD_LLM_CONTEXT_WINDOW"] == "32768" && handed["TODOD_LLM_PARALLEL_TOOL_CALLS"] == "false" && handed["TODOD_LLM_TITLES"] == "off")
        #expect(try resolve().environmentWithResolvedLLM(["TODOD_LLM_PARALLEL_TOOL_CALLS": "true"])["TODOD_LLM_PARALLEL_TOOL_CALLS"] == nil)
        #expect(try resolve(env: ["TODOD_LLM_PARALLEL_TOOL_CALLS": "auto"]).llmParallelToolCalls == nil)
        let text = config.redactedDescription
        #expect(text.contains("llm_context_window = 32768") && text.contains("llm_parallel_tool_calls = false") && text.contains("llm_titles = off"))
    }

    @Test func badValuesNameTheirSource() throws {
        func message(_ body: () throws -> DaemonConfiguration) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { try resolve(env: ["TODOD_LLM_CONTEXT_WINDOW": "100"]) }.contains("TODOD_LLM_CONTEXT_WINDOW: '100'"))
        #expect(message { try resolve(file: ["llm_parallel_tool_calls": "sometimes"]) }.contains("llm_parallel_tool_calls in /etc/todod.conf"))
        #expect(message { try resolve(env: ["TODOD_LLM_TITLES": "maybe"]) }.contains("TODOD_LLM_TITLES: 'maybe' is not one of on, off"))
    }
}
