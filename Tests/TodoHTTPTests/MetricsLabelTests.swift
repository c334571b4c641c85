import HTTPTypes
import Testing
@testable import TodoHTTP

// MARK: - Metric labels

@Suite("HTTP metric labels")
struct MetricsLabelTests {
    @Test("Known methods keep their name as the method label; any other method is `other`", arguments: [
        ("GET", "GET"), ("POST", "POST"), ("PATCH", "PATCH"), ("DELETE", "DELETE"), ("OPTIONS", "OPTIONS"),
        ("BREW", "other"), ("PROPFIND", "other"), ("get", "other"),
    ])
    func methodLabel(sent: String, label: String) throws {
        let method = try #require(HTTPRequest.Method(sent))
        #expect(HTTPMetrics.methodLabel(method) == label)
    }
}
