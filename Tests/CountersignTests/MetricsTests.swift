import Testing
import Transport
@testable import Countersign

@Suite struct MetricsTests {
    @Test func labelValuesAreEscapedAsPrometheusWants() {
        #expect(PoolMetrics.seriesKey("x_total", ["reason": "a\"b\\c\nd"]) == #"x_total{reason="a\"b\\c\nd"}"#)
        #expect(PoolMetrics.seriesKey("x_total", [:]) == "x_total")
    }

    @Test func requestsAreCountedPerRouteWhateverTheLetterCase() {
        let metrics = PoolMetrics(file: .anonymous())
        metrics.countRequest(path: "/Account/Login", mount: "/Account", status: 200)
        metrics.countRequest(path: "/account/LOGIN", mount: "/Account", status: 200)
        metrics.countRequest(path: nil, mount: "/Account", status: 404)
        let text = MetricsPage.render(metrics.file)
        #expect(text.contains("countersign_requests_total{route=\"/login\",status=\"200\"} 2\n"))
        #expect(text.contains("countersign_requests_total{route=\"unmatched\",status=\"404\"} 1\n"))
        #expect(text.contains("# TYPE countersign_requests_total counter\n"))
        #expect(text.contains("countersign_workers 1\n"), "a worker without a supervisor is the pool")
    }
}
