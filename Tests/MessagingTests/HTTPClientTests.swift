import Foundation
@testable import Messaging
import TestSupport
import Testing

@Suite struct FormEncodingTests {
    @Test func keepsUnreservedAndEncodesEverythingElse() {
        #expect(FormEncoding.encode([("To", "+1 201"), ("Body", "a&b=c~-._ é/%")])
            == "To=%2B1%20201&Body=a%26b%3Dc~-._%20%C3%A9%2F%25")
    }

    @Test func spaceIsPercentTwentyNeverPlus() {
        #expect(FormEncoding.percentEncode("a b") == "a%20b")
        #expect(FormEncoding.percentEncode("a+b") == "a%2Bb")
    }

    @Test func roundTripsThroughAServerSideDecoder() {
        let fields = [("Body", "Your code is 123456.\n\n@example.com #123456"), ("x", "ünï ✓ + & =")]
        let decoded = FormDecoding.decode(FormEncoding.encode(fields))
        #expect(decoded.map(\.0) == fields.map(\.0))
        #expect(decoded.map(\.1) == fields.map(\.1))
    }
}

@Suite struct HTTPClientTests {
    @Test func postsBodyHeadersAndBasicAuth() throws {
        let server = try FakeHTTPServer(status: 201, body: #"{"ok":true}"#)
        defer { server.stop() }
        let response = try HTTPClient().send(.form(
            url: server.baseURL + "/v1/things?x=1",
            fields: [("a", "1"), ("b", "two words")],
            basicAuth: BasicAuth(username: "user", password: "p:ss")
        ))
        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/things?x=1")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["accept"] == "application/json")
        #expect(request.headers["expect"] == nil)
        #expect(request.basicAuth?.user == "user")
        #expect(request.basicAuth?.password == "p:ss")
        #expect(request.bodyText == "a=1&b=two%20words")
    }

    @Test func getHasNoBodyAndNoCredentialsUnlessAsked() throws {
        let server = try FakeHTTPServer(status: 200, body: "{}")
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/status"))
        #expect(response.status == 200)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.body.isEmpty)
        #expect(request.headers["authorization"] == nil)
    }

    @Test func errorStatusIsAResponseNotAnError() throws {
        let server = try FakeHTTPServer(status: 503, body: "down")
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/"))
        #expect(response.status == 503)
        #expect(!response.isSuccess)
    }

    @Test func redirectsAreNotFollowed() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/old" ? .init(status: 302, body: "") : .init(status: 200, body: "followed")
        }
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL + "/old"))
        #expect(response.status == 302)
        #expect(server.requests.count == 1)
    }

    @Test func reusesOneClientForSeveralRequests() throws {
        let server = try FakeHTTPServer { request in .init(status: 200, body: request.path) }
        defer { server.stop() }
        let client = HTTPClient()
        for path in ["/a", "/b", "/c"] {
            let response = try client.send(HTTPRequest(method: "POST", url: server.baseURL + path, body: Array("x".utf8)))
            #expect(String(decoding: response.body, as: UTF8.self) == path)
        }
        #expect(server.requests.map(\.method) == ["POST", "POST", "POST"])
    }

    @Test func slowServerTimesOut() throws {
        let release = Gate()
        let server = try FakeHTTPServer(status: 200, body: "late", heldUntil: release)
        defer { release.open(); server.stop() }
        let request = HTTPRequest(method: "GET", url: server.baseURL + "/", timeouts: HTTPTimeouts(connect: .milliseconds(200), total: .milliseconds(300)))
        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().send(request) }
        #expect(error?.isTimeout == true)
        // The reply is still held back: the client stopped at its own deadline, not at an answer.
        #expect(server.requests.count == 1)
        #expect(server.repliesSent == 0)
    }

    @Test func refusedConnectionIsAnErrorWithoutTheURL() throws {
        let (fd, port) = try LoopbackListener.open()
        close(fd)  // nothing listens on this port now
        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/secret-path", basicAuth: BasicAuth(username: "u", password: "hunter2")))
        }
        #expect(error?.isTimeout == false)
        #expect(error?.message.contains("secret-path") == false)
        #expect(error?.message.contains("hunter2") == false)
        #expect(error?.message.isEmpty == false)
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://127.0.0.1/"])
    func otherProtocolsAreRefused(url: String) {
        #expect(throws: HTTPClientError.self) { try HTTPClient().send(HTTPRequest(method: "GET", url: url)) }
    }

    @Test func oversizedResponseIsAnError() throws {
        let server = try FakeHTTPServer(status: 200, body: String(repeating: "x", count: 5000))
        defer { server.stop() }
        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient(maxResponseBytes: 1000).send(HTTPRequest(method: "GET", url: server.baseURL + "/"))
        }
        #expect(error?.message.contains("larger than 1000") == true)
    }
}
