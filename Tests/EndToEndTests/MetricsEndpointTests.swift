#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TodoControl
import TodoCore
@testable import TodoDaemon
import TodoTesting

// MARK: - GET /metrics on an in-process daemon

@Suite("Metrics endpoint", .timeLimit(.minutes(2)))
struct MetricsEndpointTests {
    /// Sample lines of a Prometheus text answer, keyed by `name{labels}` as rendered.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space]), default: 0] += value
        }
        return out
    }

    /// The sum over every series of `name` (any labels).
    static func total(_ samples: [String: Double], _ name: String) -> Double {
        samples.reduce(0) { sum, entry in
            entry.key == name || entry.key.hasPrefix(name + "{") ? sum + entry.value : sum
        }
    }

    @Test("A scrape sees the build info, and counters move with a ChatKit turn, REST requests and control connections")
    func countersMove() async throws {
        let model = try await ScriptedLLMServer.start(script: addTaskModel)
        defer { Task { await model.stop() } }
        let env = ["TODOD_LLM_BASE_URL": model.baseURL, "TODOD_LLM_API_KEY": "scripted-key", "TODOD_LLM_MODEL": "scripted"]
        try await withRunningDaemon(extraEnvironment: env, configure: { $0.http = "127.0.0.1:0" }) { daemon, socket, _ in
            let listener = try #require(daemon.runtime.httpListener)
            let port = try #require(Int(listener.split(separator: ":").last ?? ""))
            let first = try await loopbackHTTP("GET", port: port, path: "/metrics")
            #expect(first.status == 200)
            #expect(first.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let before = Self.samples(first.body)
            #expect(before[#"todod_build_info{version="\#(DaemonRuntime.version)"}"#] == 1)
            #expect((before["todod_process_start_time_seconds"] ?? 0) > 1_700_000_000)

            let client = ControlClient(socketPath: socket)
            let token = try await client.call(ControlMethods.IssueToken.self, IssueTokenParams(ttlSeconds: 600)).token
            let headers = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
            let turn = #"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"buy milk"}],"attachments":[],"inference_options":{}}}}"#
            let answer = try await loopbackHTTP("POST", port: port, path: "/api/chatkit", headers: headers, body: turn, timeout: 30)
            #expect(answer.status == 200)
            #expect(answer.body.contains("assistant_message.content_part.text_delta"))
            let list = try await loopbackHTTP("GET", port: port, path: "/api/tasks", headers: headers)
            #expect(list.status == 200 && list.body.contains("buy milk"))

            // The request counter moves once each response body has been written: wait for it, bounded.
            var after: [String: Double] = [:]
            let moved = try await waitUntil(timeout: .seconds(10)) {
                after = Self.samples(try await loopbackHTTP("GET", port: port, path: "/metrics").body)
                return after[#"todod_http_requests_total{route="/api/chatkit",method="POST",status="200"}"#] == 1
                    && after[#"todod_http_requests_total{route="/api/tasks",method="GET",status="200"}"#] == 1
            }
            #expect(moved, "request counters did not move: \(after.filter { $0.key.hasPrefix("todod_http") })")
            #expect(after[#"todod_chatkit_turns_total{outcome="ok"}"#] == 1)
            #expect(after["todod_chatkit_first_event_seconds_count"] == 1)
            #expect(after["todod_chatkit_first_delta_seconds_count"] == 1)
            #expect(after["todod_model_call_seconds_count"] == 2, "one call for the tool, one for the answer")
            #expect(after[#"todod_tool_calls_total{tool="add_task",outcome="ok"}"#] == 1)
            #expect(after["todod_chatkit_active_streams"] == 0)
            #expect(Self.total(after, "todod_store_appends_total") > Self.total(before, "todod_store_appends_total"))
            #expect(Self.total(after, "todod_store_batches_total") >= 1)
            #expect(Self.total(after, "todod_store_fdatasync_seconds_count") == Self.total(after, "todod_store_batches_total"))
            #expect(Self.total(after, "todod_store_batch_records_sum") == Self.total(after, "todod_store_appends_total"))
            #expect((after[#"todod_store_file_bytes{file="threads"}"#] ?? 0) > 0)
            #expect((after[#"todod_store_lines{file="tasks",state="live"}"#] ?? 0) >= 1)
            #expect(Self.total(after, "todod_control_connections_total") >= 1)
            #expect(Self.total(after, "todod_model_errors_total") == 0)

            // todoctl status reads the same registry.
            let status = try await client.call(ControlMethods.Status.self, EmptyParams())
            var figures: [String: Double] = [:]
            for figure in status.figures ?? [] { figures[figure.name] = figure.value }
            #expect(figures["chat turns"] == 1)
            #expect(figures["store appends"] == Self.total(after, "todod_store_appends_total"))
            #expect((figures["first delta p50"] ?? 0) > 0)
        }
    }

    @Test("status reads sums and a histogram median back from the exposition text")
    func samplesFromText() {
        let text = """
            # TYPE x_seconds histogram
            x_seconds_bucket{route="/a",le="0.001"} 0
            x_seconds_bucket{route="/a",le="0.002"} 1
            x_seconds_bucket{route="/a",le="+Inf"} 2
            x_seconds_bucket{route="/b",le="0.001"} 0
            x_seconds_bucket{route="/b",le="0.002"} 1
            x_seconds_bucket{route="/b",le="+Inf"} 2
            n_total{kind="a"} 3
            n_total{kind="b"} 4.0
            """
        let samples = MetricSamples(text: text)
        #expect(samples.sum("n_total") == 7)
        #expect(samples.sum("missing_total") == 0)
        #expect(samples.median("x_seconds") == 0.002, "rank 2 of 4 is the top of the 1-2 ms bucket")
        #expect(samples.median("missing_seconds") == nil)
    }

    @Test("A Host that is not ours is refused on /metrics like on every route")
    func hostCheck() async throws {
        try await withRunningDaemon(configure: { $0.http = "127.0.0.1:0" }) { daemon, _, _ in
            let listener = try #require(daemon.runtime.httpListener)
            let port = try #require(Int(listener.split(separator: ":").last ?? ""))
            let refused = try await loopbackHTTP("GET", port: port, path: "/metrics", headers: ["Host": "metrics.example:\(port)"])
            #expect(refused.status == 403)
            let served = try await loopbackHTTP("GET", port: port, path: "/metrics", headers: ["Host": "localhost:\(port)"])
            #expect(served.status == 200 && served.body.contains("todod_build_info"))
        }
    }
}
