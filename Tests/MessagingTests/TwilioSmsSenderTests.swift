import Config
import Foundation
@testable import Messaging
import TestSupport
import Testing

let twilioSid = "AC0123456789abcdef0123456789abcdef"
let twilioServiceSid = "MG0123456789abcdef0123456789abcdef"

func twilioConfig(base: String, sender: String = "from = +15005550006") -> Config {
    makeConfig("""
        [sms]
        provider = twilio
        [twilio]
        account_sid = \(twilioSid)
        auth_token = the-auth-token
        \(sender)
        api_base = \(base)
        """)
}

/// Twilio's documented 201 answer for a created Message resource (trimmed of URIs).
func twilioCreated(sid: String = "SM1234567890abcdef1234567890abcdef", to: String = "+12015550123") -> String {
    """
    {"account_sid": "\(twilioSid)", "api_version": "2010-04-01", "body": "Your code is 123456", \
    "date_created": "Thu, 26 Nov 2026 12:00:00 +0000", "date_sent": null, "date_updated": "Thu, 26 Nov 2026 12:00:00 +0000", \
    "direction": "outbound-api", "error_code": null, "error_message": null, "from": "+15005550006", \
    "messaging_service_sid": null, "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD", \
    "sid": "\(sid)", "status": "queued", "subresource_uris": {}, "to": "\(to)", \
    "uri": "/2010-04-01/Accounts/\(twilioSid)/Messages/\(sid).json"}
    """
}

func twilioError(code: Int, status: Int, message: String) -> String {
    """
    {"code": \(code), "message": "\(message)", "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": \(status)}
    """
}

@Suite struct TwilioSmsSenderTests {
    @Test func sendsTheDocumentedRequestAndReadsTheSid() throws {
        let server = try FakeHTTPServer(status: 201, body: twilioCreated())
        defer { server.stop() }
        let config = twilioConfig(base: server.baseURL)
        let sender = TwilioSmsSender(config: config)
        #expect(config.problems.isEmpty)

        let receipt = try sender.send(SmsMessage(to: "+12015550123", body: "Your code is 123456.\n\n@example.com #123456"))

        #expect(receipt == SmsReceipt(provider: "twilio", messageId: "SM1234567890abcdef1234567890abcdef"))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/2010-04-01/Accounts/\(twilioSid)/Messages.json")
        #expect(request.basicAuth?.user == twilioSid)
        #expect(request.basicAuth?.password == "the-auth-token")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.formPairs.map(\.0) == ["To", "From", "Body"])
        #expect(request.form == ["To": "+12015550123", "From": "+15005550006", "Body": "Your code is 123456.\n\n@example.com #123456"])
    }

    @Test func messagingServiceSidReplacesFrom() throws {
        let server = try FakeHTTPServer(status: 201, body: twilioCreated())
        defer { server.stop() }
        let config = twilioConfig(base: server.baseURL, sender: "messaging_service_sid = \(twilioServiceSid)")
        _ = try TwilioSmsSender(config: config).send(SmsMessage(to: "+12015550123", body: "hi"))
        #expect(config.problems.isEmpty)
        let request = try #require(server.requests.first)
        #expect(request.form == ["To": "+12015550123", "MessagingServiceSid": twilioServiceSid, "Body": "hi"])
    }

    @Test func invalidToNumberIsARecipientErrorNotRetryable() throws {
        let server = try FakeHTTPServer(status: 400, body: twilioError(code: 21211, status: 400, message: "The 'To' number +12015550 is not a valid phone number."))
        defer { server.stop() }
        let error = #expect(throws: SmsSendError.self) {
            try TwilioSmsSender(config: twilioConfig(base: server.baseURL)).send(SmsMessage(to: "+12015550", body: "secret 123456"))
        }
        #expect(error?.kind == .recipient)
        #expect(error?.retryable == false)
        #expect(error?.providerCode == "21211")
        #expect(error?.reason == "This number cannot receive text messages.")
        #expect(error?.detail.contains("not a valid phone number") == true)
        #expect(error?.description.contains("123456") == false)
    }

    @Test(arguments: [
        (400, 21614, SmsSendError.Kind.recipient),      // not a mobile number
        (400, 21610, .recipient),                         // recipient replied STOP
        (401, 20003, .configuration),                     // authentication
        (400, 21606, .configuration),                     // From is not SMS-capable
        (429, 20429, .unavailable),                       // too many requests
        (500, 20500, .unavailable),                       // internal error
        (503, 0, .unavailable),
        (400, 21602, .rejected),                          // body required
    ])
    func errorCodesMapToKinds(status: Int, code: Int, kind: SmsSendError.Kind) {
        let error = TwilioSmsSender.error(for: HTTPResponse(status: status, body: Array(twilioError(code: code, status: status, message: "m").utf8)))
        #expect(error.kind == kind)
        #expect(error.retryable == (kind == .unavailable))
    }

    @Test func errorWithoutJSONUsesTheHTTPStatus() {
        let error = TwilioSmsSender.error(for: HTTPResponse(status: 502, body: Array("<html>bad gateway</html>".utf8)))
        #expect(error.kind == .unavailable)
        #expect(error.providerCode == "HTTP 502")
    }

    @Test func acceptedWithUnreadableBodyIsStillSent() throws {
        let server = try FakeHTTPServer(status: 201, body: "not json")
        defer { server.stop() }
        let receipt = try TwilioSmsSender(config: twilioConfig(base: server.baseURL)).send(SmsMessage(to: "+12015550123", body: "hi"))
        #expect(receipt == SmsReceipt(provider: "twilio", messageId: nil))
    }

    @Test func nonE164NumberIsRefusedBeforeAnyRequest() throws {
        let server = try FakeHTTPServer(status: 201, body: twilioCreated())
        defer { server.stop() }
        let sender = TwilioSmsSender(config: twilioConfig(base: server.baseURL))
        for bad in ["2015550123", "+1 201 555", "-x", "+0123456789", ""] {
            let error = #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: bad, body: "hi")) }
            #expect(error?.kind == .recipient)
        }
        #expect(server.requests.isEmpty)
    }

    @Test func timeoutIsRetryable() throws {
        let server = try FakeHTTPServer(status: 201, body: twilioCreated(), delay: 1)
        defer { server.stop() }
        let sender = TwilioSmsSender(config: twilioConfig(base: server.baseURL), timeouts: HTTPTimeouts(connect: .milliseconds(200), total: .milliseconds(200)))
        let error = #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "+12015550123", body: "hi")) }
        #expect(error?.kind == .unavailable)
        #expect(error?.retryable == true)
    }
}

@Suite struct TwilioConfigTests {
    @Test func bothFromAndServiceSidIsAProblem() {
        let config = twilioConfig(base: "https://api.twilio.com", sender: "from = +15005550006\nmessaging_service_sid = \(twilioServiceSid)")
        _ = TwilioSmsSender(config: config)
        #expect(config.problemMessages.contains { $0.contains("not both") })
    }

    @Test func neitherFromNorServiceSidIsAProblem() {
        let config = twilioConfig(base: "https://api.twilio.com", sender: "")
        _ = TwilioSmsSender(config: config)
        #expect(config.problemMessages == ["test.conf: twilio.from: missing: sms.provider = twilio needs twilio.from or twilio.messaging_service_sid"])
    }

    @Test func missingCredentialsAreAllListed() {
        let config = makeConfig("[sms]\nprovider = twilio\n[twilio]\nfrom = +15005550006\n")
        _ = TwilioSmsSender(config: config)
        #expect(config.problemMessages == [
            "test.conf: missing key twilio.account_sid, required by sms.provider = twilio",
            "test.conf: missing key twilio.auth_token, required by sms.provider = twilio",
        ])
    }

    @Test(arguments: ["AC123", "SK0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdeg", "AC0123456789abcdef0123456789abcdef/../x"])
    func malformedAccountSidIsAProblem(sid: String) {
        let config = makeConfig("[twilio]\naccount_sid = \(sid)\nauth_token = t\nfrom = +15005550006\n")
        _ = TwilioSmsSender(config: config)
        #expect(config.problemMessages.contains { $0.contains("twilio.account_sid: must be the Account SID") })
    }

    @Test(arguments: ["http://api.twilio.com", "ftp://127.0.0.1", "http://127.0.0.1.evil.com", "api.twilio.com"])
    func plainHttpOnlyForLoopback(base: String) {
        let config = twilioConfig(base: base)
        _ = TwilioSmsSender(config: config)
        #expect(config.problemMessages.contains { $0.contains("twilio.api_base: must be an https:// URL") })
    }

    @Test(arguments: ["https://api.twilio.com", "https://api.twilio.com/", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:99"])
    func acceptedApiBases(base: String) {
        let config = twilioConfig(base: base)
        _ = TwilioSmsSender(config: config)
        #expect(config.problems.isEmpty)
    }
}
