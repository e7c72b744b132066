import Config
import Foundation
@testable import Messaging
import TestSupport
import Testing

func vonageConfig(base: String) -> Config {
    makeConfig("""
        [sms]
        provider = vonage
        [vonage]
        api_key = abcd1234
        api_secret = the-api-secret
        from = Countersign
        api_base = \(base)
        """)
}

/// Vonage's documented answer for one accepted message.
let vonageAccepted = """
    {"message-count": "1", "messages": [{"to": "12015550123", "message-id": "0A0000000123ABCD1", "status": "0", \
    "remaining-balance": "3.14159265", "message-price": "0.03330000", "network": "12345"}]}
    """

func vonageFailed(status: String, text: String) -> String {
    #"{"message-count": "1", "messages": [{"status": "\#(status)", "error-text": "\#(text)"}]}"#
}

@Suite struct VonageSmsSenderTests {
    @Test func sendsTheDocumentedFormAndReadsTheMessageId() throws {
        let server = try FakeHTTPServer(status: 200, body: vonageAccepted)
        defer { server.stop() }
        let config = vonageConfig(base: server.baseURL)
        let receipt = try VonageSmsSender(config: config).send(SmsMessage(to: "+12015550123", body: "Your code is 123456"))
        #expect(config.problems.isEmpty)
        #expect(receipt == SmsReceipt(provider: "vonage", messageId: "0A0000000123ABCD1"))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/sms/json")
        #expect(request.headers["authorization"] == nil)
        #expect(request.formPairs.map(\.0) == ["api_key", "api_secret", "from", "to", "text"])
        #expect(request.form == ["api_key": "abcd1234", "api_secret": "the-api-secret", "from": "Countersign", "to": "12015550123", "text": "Your code is 123456"])
    }

    @Test func nonGSMTextIsSentAsUnicode() throws {
        let server = try FakeHTTPServer(status: 200, body: vonageAccepted)
        defer { server.stop() }
        _ = try VonageSmsSender(config: vonageConfig(base: server.baseURL)).send(SmsMessage(to: "+12015550123", body: "Ваш код 123456"))
        let request = try #require(server.requests.first)
        #expect(request.form["type"] == "unicode")
        #expect(request.form["text"] == "Ваш код 123456")
    }

    @Test func gsmTextWithExtensionCharactersIsNotUnicode() throws {
        let server = try FakeHTTPServer(status: 200, body: vonageAccepted)
        defer { server.stop() }
        _ = try VonageSmsSender(config: vonageConfig(base: server.baseURL)).send(SmsMessage(to: "+12015550123", body: "Prix: 5€ [ok] ñ"))
        #expect(server.requests.first?.form["type"] == nil)
    }

    @Test(arguments: [
        ("1", "Throttled", SmsSendError.Kind.unavailable),
        ("2", "Missing to param", .configuration),
        ("3", "Invalid from param", .configuration),
        ("4", "Bad Credentials", .configuration),
        ("5", "Internal Error", .unavailable),
        ("6", "Unroutable message - rejected", .recipient),
        ("7", "Number barred.", .recipient),
        ("9", "Quota Exceeded - rejected", .configuration),
        ("29", "Non White-listed Destination - rejected", .configuration),
        ("99", "Something new", .rejected),
    ])
    func statusErrorsMapToKinds(status: String, text: String, kind: SmsSendError.Kind) throws {
        let server = try FakeHTTPServer(status: 200, body: vonageFailed(status: status, text: text))
        defer { server.stop() }
        let error = #expect(throws: SmsSendError.self) {
            try VonageSmsSender(config: vonageConfig(base: server.baseURL)).send(SmsMessage(to: "+12015550123", body: "code 123456"))
        }
        #expect(error?.kind == kind)
        #expect(error?.providerCode == status)
        #expect(error?.detail == text)
        #expect(error?.retryable == (kind == .unavailable))
        #expect(error?.description.contains("123456") == false)
    }

    @Test func anyFailedPartFailsTheMessage() throws {
        let body = #"{"message-count": "2", "messages": [{"status": "0", "message-id": "A1"}, {"status": "1", "error-text": "Throttled"}]}"#
        #expect(throws: SmsSendError.self) { try VonageSmsSender.receipt(for: HTTPResponse(status: 200, body: Array(body.utf8))) }
    }

    @Test(arguments: [(500, SmsSendError.Kind.unavailable), (429, .unavailable), (401, .configuration), (404, .rejected)])
    func httpErrorsMapToKinds(status: Int, kind: SmsSendError.Kind) {
        let error = #expect(throws: SmsSendError.self) { try VonageSmsSender.receipt(for: HTTPResponse(status: status, body: [])) }
        #expect(error?.kind == kind)
    }

    @Test func missingKeysAreAllListed() {
        let config = makeConfig("[sms]\nprovider = vonage\n")
        _ = VonageSmsSender(config: config)
        #expect(config.problemMessages == [
            "test.conf: missing key vonage.api_key, required by sms.provider = vonage",
            "test.conf: missing key vonage.api_secret, required by sms.provider = vonage",
            "test.conf: missing key vonage.from, required by sms.provider = vonage",
        ])
    }
}
