import Config
import Foundation
@testable import Messaging
import TestSupport
import Testing

/// `sms.provider = http` against the local fake server: what arrives, byte for byte.
func httpSmsConfig(_ keys: String, environment: [String: String] = [:]) -> Config {
    Config(text: "[sms]\nprovider = http\n[http_sms]\n" + keys, file: "test.conf", environment: environment, directory: "/nonexistent")
}

/// Texts that break naive templating: JSON and form metacharacters, line breaks, non-ASCII
/// (precomposed and decomposed), emoji with modifiers and joiners, control and separator characters.
let hostileTexts: [String] = [
    #"He said "hi" and left"#,
    #"back\slash \" \\ \u0041 \n (literally)"#,
    "line one\nline two\r\nline three\ttabbed",
    "a&b=c+d%20e?f#g;h/i",
    "Grüße, Ünïcödé — ø ß 中文 עברית",
    "e\u{301} versus é",
    "emoji 😀 👍🏽 👨‍👩‍👧 🇩🇪",
    "separators \u{2028} \u{2029} and controls \u{01} \u{1F} \u{7F}",
    "</script><b>&amp;</b>",
    "Your Countersign code is 123456. Valid for 10 min.\n\n@example.com #123456",
]

@Suite struct HTTPSmsSenderTests {
    @Test(arguments: hostileTexts)
    func jsonBodyCarriesTheTextByteExact(_ text: String) throws {
        let server = try FakeHTTPServer(status: 200, body: #"{"id":"m1"}"#)
        defer { server.stop() }
        let config = httpSmsConfig("""
            url = \(server.baseURL)/v1/send
            body = {"to":"{to}","digits":"{to_digits}","text":"{text}","from":"{from}"}
            from = Acme "Co"
            """)
        let sender = HTTPSmsSender(config: config)
        #expect(config.problems.isEmpty)

        let receipt = try sender.send(SmsMessage(to: "+12015550123", body: text))

        #expect(receipt == SmsReceipt(provider: "http", messageId: nil))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/send")
        #expect(request.headers["content-type"] == "application/json")
        let object = try #require(JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
        #expect(Array((object["text"] ?? "").utf8) == Array(text.utf8))
        #expect(object["to"] == "+12015550123")
        #expect(object["digits"] == "12015550123")
        #expect(Array((object["from"] ?? "").utf8) == Array(#"Acme "Co""#.utf8))
    }

    @Test func jsonEscapingIsExactlyTheStringContent() throws {
        let server = try FakeHTTPServer(status: 200, body: "")
        defer { server.stop() }
        let sender = HTTPSmsSender(config: httpSmsConfig("url = \(server.baseURL)/send\n"))
        _ = try sender.send(SmsMessage(to: "+12015550123", body: "a\"b\\c\nd é"))
        #expect(server.requests.first?.bodyText == #"{"to":"+12015550123","text":"a\"b\\c\nd é"}"#)
    }

    @Test(arguments: hostileTexts)
    func formBodyCarriesTheTextByteExact(_ text: String) throws {
        let server = try FakeHTTPServer(status: 202, body: "queued")
        defer { server.stop() }
        let config = httpSmsConfig("""
            url = \(server.baseURL)/sms
            content_type = application/x-www-form-urlencoded
            body = dst={to_digits}&text={text}&src={from}
            from = Acme & Co
            """)
        let sender = HTTPSmsSender(config: config)
        #expect(config.problems.isEmpty)

        _ = try sender.send(SmsMessage(to: "+4915112345678", body: text))

        let request = try #require(server.requests.first)
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.formPairs.map(\.0) == ["dst", "text", "src"])
        #expect(Array((request.form["text"] ?? "").utf8) == Array(text.utf8))
        #expect(request.form["dst"] == "4915112345678")
        #expect(request.form["src"] == "Acme & Co")
    }

    @Test func getSendsTheTemplateAsTheQueryStringAfterTheURLsOwn() throws {
        let server = try FakeHTTPServer(status: 200, body: "OK")
        defer { server.stop() }
        let config = httpSmsConfig("""
            url = \(server.baseURL)/api/send?user=acme
            method = GET
            body = to={to}&msg={text}
            """)
        let sender = HTTPSmsSender(config: config)
        #expect(config.problems.isEmpty)

        _ = try sender.send(SmsMessage(to: "+12015550123", body: "code 123456 & more = ✓"))

        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/api/send?user=acme&to=%2B12015550123&msg=code%20123456%20%26%20more%20%3D%20%E2%9C%93")
        #expect(request.body.isEmpty)
        #expect(request.headers["content-type"] == nil)
    }

    @Test func headersFromTheConfigArriveAsWritten() throws {
        let server = try FakeHTTPServer(status: 200, body: "{}")
        defer { server.stop() }
        let config = httpSmsConfig(
            "url = \(server.baseURL)/send\nheaders = Authorization: Bearer ${SMS_TOKEN}\\nX-Api-Key:   key-0123456789  \\nAccept: application/json\n",
            environment: ["SMS_TOKEN": "tok_abcdef0123456789"]
        )
        let sender = HTTPSmsSender(config: config)
        #expect(config.problems.isEmpty)
        _ = try sender.send(SmsMessage(to: "+12015550123", body: "hi"))
        let request = try #require(server.requests.first)
        #expect(request.headers["authorization"] == "Bearer tok_abcdef0123456789")
        #expect(request.headers["x-api-key"] == "key-0123456789")
        #expect(request.headers["accept"] == "application/json")
    }

    @Test func headersMayComeFromASecretFile() throws {
        let server = try FakeHTTPServer(status: 200, body: "{}")
        defer { server.stop() }
        let folder = try TemporaryDirectory()
        try "Authorization: Bearer from-a-file\nX-Account: 42\n".write(toFile: folder.file("sms-headers"), atomically: true, encoding: .utf8)
        let config = Config(
            text: "[sms]\nprovider = http\n[http_sms]\nurl = \(server.baseURL)/send\nheaders_file = sms-headers\n",
            file: "test.conf", environment: [:], directory: folder.path
        )
        let sender = HTTPSmsSender(config: config)
        #expect(config.problems.isEmpty)
        _ = try sender.send(SmsMessage(to: "+12015550123", body: "hi"))
        #expect(server.requests.first?.headers["authorization"] == "Bearer from-a-file")
        #expect(server.requests.first?.headers["x-account"] == "42")
    }

    @Test(arguments: [202, 204])
    func acceptStatusDecidesWhatIsSent(status: Int) throws {
        let server = try FakeHTTPServer(status: status, body: "")
        defer { server.stop() }
        let only202 = HTTPSmsSender(config: httpSmsConfig("url = \(server.baseURL)/send\naccept_status = 202\n"))
        if status == 202 {
            #expect(try only202.send(SmsMessage(to: "+12015550123", body: "hi")).provider == "http")
        } else {
            let error = #expect(throws: SmsSendError.self) { try only202.send(SmsMessage(to: "+12015550123", body: "hi")) }
            #expect(error?.providerCode == "HTTP 204")
        }
    }

    @Test func aRedirectIsNotFollowed() throws {
        let target = try FakeHTTPServer(status: 200, body: "")
        let server = try FakeHTTPServer { _ in .init(status: 302, body: "") }
        defer { server.stop(); target.stop() }
        let sender = HTTPSmsSender(config: httpSmsConfig("url = \(server.baseURL)/send\n"))
        let error = #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "+12015550123", body: "hi")) }
        #expect(error?.kind == .configuration)
        #expect(target.requests.isEmpty)
    }

    @Test func aNumberThatIsNotE164IsRefusedBeforeAnyRequest() throws {
        let server = try FakeHTTPServer(status: 200, body: "")
        defer { server.stop() }
        let sender = HTTPSmsSender(config: httpSmsConfig("url = \(server.baseURL)/send\n"))
        let error = #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "12015550123\",\"x\":\"", body: "hi")) }
        #expect(error?.kind == .recipient)
        #expect(server.requests.isEmpty)
    }
}
