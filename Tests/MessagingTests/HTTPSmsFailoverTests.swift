import Config
import Foundation
@testable import Messaging
import TestSupport
import Testing

/// The `http` provider in a failover list: every failure moves on, is logged once, and never
/// leaks the code, the number or a header value into the log.
@Suite struct HTTPSmsFailoverTests {
    let message = SmsMessage(to: "+12015550123", body: "Your code is 654321")
    static let token = "tok_live_abcdef0123456789"

    func failover(url: String, keys: String = "", log: LogLines, delivered: LogLines) -> FailoverSmsSender {
        let config = httpSmsConfig(
            "url = \(url)\nheaders = Authorization: Bearer ${TOKEN}\\nX-Account: acct-secret-42\n" + keys,
            environment: ["TOKEN": HTTPSmsFailoverTests.token]
        )
        let http = HTTPSmsSender(config: config)
        precondition(config.problems.isEmpty, "\(config.problems)")
        return FailoverSmsSender(senders: [http, LogSmsSender(output: delivered.append)], output: log.append)
    }

    func expectNoSecrets(in lines: [String]) {
        for line in lines {
            #expect(!line.contains("654321"))
            #expect(!line.contains("2015550123"))
            #expect(!line.contains(HTTPSmsFailoverTests.token))
            #expect(!line.contains("acct-secret-42"))
            #expect(!line.contains("\n"))
        }
    }

    @Test func aServerErrorFailsOverAndIsLogged() throws {
        let server = try FakeHTTPServer(status: 503, body: "<html>maintenance</html>")
        defer { server.stop() }
        let log = LogLines(), delivered = LogLines()

        let receipt = try failover(url: server.baseURL + "/send", log: log, delivered: delivered).send(message)

        #expect(receipt.provider == "log")
        #expect(delivered.lines.count == 1)
        #expect(server.requests.count == 1)
        #expect(log.lines.count == 1)
        #expect(log.lines[0].contains("via http failed (unavailable HTTP 503)") && log.lines[0].contains("trying log"))
        expectNoSecrets(in: log.lines)
    }

    /// The gateway repeats the whole request in its refusal, as some do: the log gets the status
    /// and the masked start of the answer, once, and the same provider is not asked again.
    @Test func aRefusalFailsOverIsLoggedMaskedAndIsNotRetried() throws {
        let server = try FakeHTTPServer { request in
            let echo = "invalid destination \(request.bodyText) with Authorization: \(request.headers["authorization"] ?? "") and \(request.headers["x-account"] ?? "")\nsee docs, error 21211"
            return .init(status: 400, body: echo)
        }
        defer { server.stop() }
        let log = LogLines(), delivered = LogLines()

        let receipt = try failover(url: server.baseURL + "/send", log: log, delivered: delivered).send(message)

        #expect(receipt.provider == "log")
        #expect(server.requests.count == 1)
        #expect(log.lines.count == 1)
        let line = try #require(log.lines.first)
        #expect(line.contains("(rejected HTTP 400): HTTP 400: invalid destination {\"to\":\"+***********\""))
        #expect(line.contains("Your code is ******"))
        #expect(line.contains("with Authorization: [secret] and [secret] see docs"))
        #expect(line.contains("see docs, error 21211"))
        expectNoSecrets(in: log.lines)
    }

    @Test func theExcerptIsCutAt200Characters() throws {
        let long = String(repeating: "x", count: 500)
        let server = try FakeHTTPServer(status: 422, body: long)
        defer { server.stop() }
        let log = LogLines(), delivered = LogLines()
        _ = try failover(url: server.baseURL + "/send", log: log, delivered: delivered).send(message)
        let line = try #require(log.lines.first)
        #expect(line.contains("HTTP 422: " + String(repeating: "x", count: 200) + "…;"))
        #expect(!line.contains(String(repeating: "x", count: 201)))
    }

    @Test func noAnswerWithinTheTimeoutFailsOver() throws {
        let silent = try SilentServer()
        defer { silent.release() }
        let log = LogLines(), delivered = LogLines()
        let sender = failover(url: silent.baseURL + "/send", keys: "timeout = 1s\n", log: log, delivered: delivered)

        let receipt = try sender.send(message)

        #expect(receipt.provider == "log")
        #expect(silent.connections == 1)
        #expect(log.lines.count == 1)
        #expect(log.lines[0].contains("via http failed (unavailable): timed out"))
        expectNoSecrets(in: log.lines)
    }

    @Test func whenTheGatewayIsTheLastProviderItsErrorIsThrown() throws {
        let server = try FakeHTTPServer(status: 401, body: #"{"error":"bad key"}"#)
        defer { server.stop() }
        let config = httpSmsConfig("url = \(server.baseURL)/send\n")
        let error = #expect(throws: SmsSendError.self) { try HTTPSmsSender(config: config).send(message) }
        #expect(error?.kind == .configuration)
        #expect(error?.detail == #"HTTP 401: {"error":"bad key"}"#)
    }
}

/// Accepts connections, reads nothing and answers nothing until released: a gateway that hangs.
final class SilentServer: @unchecked Sendable {
    private let server: LoopbackServer
    private let released = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var count = 0

    var baseURL: String { "http://127.0.0.1:\(server.port)" }
    var connections: Int { lock.withLock { count } }

    init() throws {
        server = try LoopbackServer()
        server.start { [self] _ in
            lock.withLock { count += 1 }
            released.wait()
        }
    }

    func release() {
        server.stop()
        released.signal()
    }
}
