import Config
@testable import Messaging
import Testing

/// What `check-config` says about the `http_sms.*` keys: `FILE:LINE: key: message`, with the
/// line of the key to blame, and never a secret quoted back.
@Suite struct HTTPSmsSettingsTests {
    /// Line 4 is the first key after `[sms] provider = http [http_sms]`.
    static let url = "url = https://gateway.example/send\n"

    func problems(_ keys: String, environment: [String: String] = [:]) -> [String] {
        let config = httpSmsConfig(keys, environment: environment)
        _ = SmsProviders.make(config: config)
        return config.problemMessages
    }

    @Test func aGoodConfigHasNoProblems() {
        #expect(problems(Self.url + #"body = {"messages":[{"to":"{to}","body":"{text}","from":"{from}","n":{to_digits}}]}"# + "\nfrom = Acme\n") == [])
        #expect(problems(Self.url) == [])  // the default template
        #expect(problems(Self.url + "method = GET\nbody = to={to_digits}&text={text}\n") == [])
    }

    @Test(arguments: [
        (#"body = {"to":"{to}","text":"{text}","code":"{code}"}"#,
         "test.conf:5: http_sms.body: unknown placeholder {code}; the placeholders are {to}, {to_digits}, {text}, {from}"),
        (#"body = {"to":"{to}","text":{text}}"#,
         "test.conf:5: http_sms.body: is not valid JSON once filled with sample values (expected a value at character 29)"),
        (#"body = {"to":"{to}","text":"{text}",}"#,
         "test.conf:5: http_sms.body: is not valid JSON once filled with sample values (expected a string key at character "),
        (#"body = {'to':'{to}','text':'{text}'}"#,
         "test.conf:5: http_sms.body: is not valid JSON once filled with sample values (expected a string key at character 2)"),
        (#"body = {"to":"{to}"}"#, "test.conf:5: http_sms.body: must contain {text}, the message"),
        (#"body = {"text":"{text}"}"#, "test.conf:5: http_sms.body: must contain {to} or {to_digits}, the recipient"),
        (#"body = {"to":"{to}","text":"{text}","from":"{from}"}"#, "test.conf:5: http_sms.body: uses {from} but http_sms.from is not set"),
        ("method = PUT", #"test.conf:5: http_sms.method must be one of POST, GET, got "PUT""#),
        ("content_type = text/plain", #"test.conf:5: http_sms.content_type must be one of application/json, application/x-www-form-urlencoded, got "text/plain""#),
        ("accept_status = 299-200", "test.conf:5: http_sms.accept_status: must be HTTP statuses from 100 to 599, e.g. 200-299 or 200, 202"),
        ("accept_status = 2xx", "test.conf:5: http_sms.accept_status: must be HTTP statuses from 100 to 599, e.g. 200-299 or 200, 202"),
        ("accept_status = 200-700", "test.conf:5: http_sms.accept_status: must be HTTP statuses from 100 to 599, e.g. 200-299 or 200, 202"),
        ("accept_status = 200,,202", "test.conf:5: http_sms.accept_status: must be HTTP statuses from 100 to 599, e.g. 200-299 or 200, 202"),
        ("timeout = 10", #"test.conf:5: http_sms.timeout must be a duration such as 30s, 10m, 2h or 14d, more than zero, got "10""#),
        ("headers = Authorization Bearer sk_live_123", "test.conf:5: http_sms.headers: line 1 is not `Name: value`"),
        ("headers = X-Key: a\\n: b", "test.conf:5: http_sms.headers: line 2 is not `Name: value` (a header name is letters, digits and !#$%&'*+-.^_`|~)"),
        ("headers = Content-Type: text/plain", "test.conf:5: http_sms.headers: Content-Type may not be set here: set it with http_sms.content_type"),
        ("headers = X-Empty:", "test.conf:5: http_sms.headers: the value of X-Empty is empty"),
        ("content_type = application/x-www-form-urlencoded\nbody = to={to}&text=Hi {text}",
         "test.conf:6: http_sms.body: a form or query template cannot hold spaces or line breaks; write them percent-encoded (%20, %0A)"),
    ])
    func aBadValueIsReportedAtItsLine(line: String, expected: String) {
        let messages = problems(Self.url + line + "\n")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix(expected) == true, "\(messages)")
    }

    @Test(arguments: [
        "url = http://gateway.example/send",
        "url = ftp://gateway.example/send",
        "url = https://user:sk_live_secret@gateway.example/send",
        "url = http://127.0.0.1:80@gateway.example/send",
        "url = https://",
        "url = gateway.example/send",
    ])
    func aURLThatWouldExposeCredentialsIsRefusedWithoutQuotingIt(_ line: String) {
        let messages = problems(line + "\n")
        #expect(messages == ["test.conf:4: http_sms.url: must be an https:// URL (http:// only to 127.0.0.1, ::1 or localhost), without user:password@ — credentials go in http_sms.headers"])
    }

    @Test(arguments: ["http://127.0.0.1:8080/send", "http://localhost/send", "http://[::1]:9/send", "https://api.gateway.example/v1/send?key=abc"])
    func httpsAndLoopbackHTTPAreAccepted(_ url: String) {
        #expect(problems("url = \(url)\n") == [])
    }

    @Test(arguments: [
        ("url = https://gateway.example/send/{to}", "http_sms.url: placeholders are filled in http_sms.body only (with GET it becomes the query string)"),
        ("url = https://gateway.example/send#top", "http_sms.url: must not contain a #fragment"),
        ("url = https://gateway.example/my send", "http_sms.url: must not contain spaces or control characters; percent-encode them"),
    ])
    func aURLCurlWouldMisreadIsRefused(line: String, expected: String) {
        #expect(problems(line + "\n") == ["test.conf:4: " + expected])
    }

    @Test func aMissingURLNamesWhoNeedsIt() {
        #expect(problems("") == ["test.conf: missing key http_sms.url, required by sms.provider = http"])
    }

    @Test func aCarriageReturnInAHeaderValueIsRefusedWithoutQuotingTheValue() {
        let messages = problems(Self.url + "headers = Authorization: Bearer ${TOKEN}\n", environment: ["TOKEN": "sk_live_abc\rX-Injected: 1"])
        #expect(messages == ["test.conf:5: http_sms.headers: the value of Authorization contains CR or LF"])
    }

    @Test func aHeaderSecretEndingInANewlineIsFine() {
        #expect(problems(Self.url + "headers = Authorization: Bearer ${TOKEN}\n", environment: ["TOKEN": "sk_live_abc\n"]) == [])
    }

    @Test func getNeedsItsOwnTemplateAndNoJSONContentType() {
        #expect(problems(Self.url + "method = GET\n") == [
            "test.conf: http_sms.body: missing: with http_sms.method = GET the body template is the query string, e.g. to={to_digits}&text={text}",
        ])
        #expect(problems(Self.url + "method = GET\ncontent_type = application/json\nbody = to={to}&text={text}\n") == [
            "test.conf:6: http_sms.content_type: GET sends no body: the template becomes the query string, percent-encoded; remove this key",
        ])
    }

    @Test func aFromThatNoTemplateUsesIsAWarning() {
        let config = httpSmsConfig(Self.url + "from = Acme\n")
        _ = SmsProviders.make(config: config)
        #expect(config.problems.isEmpty)
        #expect(config.warnings.map(\.description) == ["test.conf:5: warning: http_sms.from: is set but http_sms.body has no {from}, so it is not sent"])
    }

    @Test func theTimeoutIsTheTotalAndCapsTheConnectTime() {
        #expect(HTTPSmsSettings(config: httpSmsConfig(Self.url)).timeouts == HTTPTimeouts(connect: .seconds(5), total: .seconds(10)))
        #expect(HTTPSmsSettings(config: httpSmsConfig(Self.url + "timeout = 2s\n")).timeouts == HTTPTimeouts(connect: .seconds(2), total: .seconds(2)))
    }
}

@Suite struct HTTPSmsTemplateTests {
    @Test func jsonBracesAreLiteralAndPlaceholdersAreFound() {
        let parsed = HTTPSmsTemplate.parse(#"{"a":{"to":"{to}"},"b":[{}],"t":"{text}{from}","x":"{ to}"}"#)
        #expect(parsed.unknown == [])
        #expect(parsed.template.parts == [
            .literal(#"{"a":{"to":""#), .placeholder(.to), .literal(#""},"b":[{}],"t":""#),
            .placeholder(.text), .placeholder(.from), .literal(#"","x":"{ to}"}"#),
        ])
    }

    @Test func unknownNamesAreReportedAndKeptLiteral() {
        let parsed = HTTPSmsTemplate.parse("to={to}&code={code}&x={TO}")
        #expect(parsed.unknown == ["code", "TO"])
        #expect(parsed.template.render([.to: "+1"], escaping: .percent) == "to=%2B1&code={code}&x={TO}")
    }

    @Test func aValueThatLooksLikeAPlaceholderIsNotExpandedAgain() {
        let template = HTTPSmsTemplate.parse(#"{"t":"{text}","f":"{from}"}"#).template
        #expect(template.render([.text: "{from}", .from: "x"], escaping: .jsonString) == #"{"t":"{from}","f":"x"}"#)
    }
}

@Suite struct AcceptedStatusesTests {
    @Test func listsAndRangesParse() {
        #expect(AcceptedStatuses.parse("200-299") == .standard)
        #expect(AcceptedStatuses.parse("200, 202 ,204-206")?.ranges == [200...200, 202...202, 204...206])
        let statuses = AcceptedStatuses.parse("201,202")
        #expect(statuses?.contains(202) == true)
        #expect(statuses?.contains(200) == false)
    }

    @Test(arguments: ["", "200-", "-200", "200-299-300", "99", "600", "2000", "abc", "200;202", " , "])
    func nonsenseIsRefused(_ text: String) {
        #expect(AcceptedStatuses.parse(text) == nil)
    }
}
