import Config
import Foundation
@testable import Messaging
import TestSupport
import Testing

@Suite struct FailoverSmsSenderTests {
    let message = SmsMessage(to: "+12015550123", body: "Your code is 654321")
    let shortTimeouts = HTTPTimeouts(connect: .milliseconds(200), total: .milliseconds(300))

    @Test func serverErrorMovesToTheNextProvider() throws {
        let twilio = try FakeHTTPServer(status: 500, body: twilioError(code: 20500, status: 500, message: "Internal Server Error"))
        let vonage = try FakeHTTPServer(status: 200, body: vonageAccepted)
        defer { twilio.stop(); vonage.stop() }
        let log = LogLines()
        let failover = FailoverSmsSender(senders: [
            TwilioSmsSender(config: twilioConfig(base: twilio.baseURL)),
            VonageSmsSender(config: vonageConfig(base: vonage.baseURL)),
        ], output: log.append)

        let receipt = try failover.send(message)

        #expect(receipt.provider == "vonage")
        #expect(twilio.requests.count == 1)
        #expect(vonage.requests.count == 1)
        #expect(log.lines.count == 1)
        #expect(log.lines[0].contains("twilio") && log.lines[0].contains("trying vonage"))
        #expect(!log.lines[0].contains("654321"))
        #expect(!log.lines[0].contains("\n"))
    }

    @Test func timeoutMovesToTheNextProvider() throws {
        let release = Gate()
        let twilio = try FakeHTTPServer(status: 201, body: twilioCreated(), heldUntil: release)
        let vonage = try FakeHTTPServer(status: 200, body: vonageAccepted)
        defer { release.open(); twilio.stop(); vonage.stop() }
        let log = LogLines()
        let failover = FailoverSmsSender(senders: [
            TwilioSmsSender(config: twilioConfig(base: twilio.baseURL), timeouts: shortTimeouts),
            VonageSmsSender(config: vonageConfig(base: vonage.baseURL), timeouts: shortTimeouts),
        ], output: log.append)

        let receipt = try failover.send(message)

        #expect(receipt.provider == "vonage")
        // Twilio's answer was still held back: the failover moved on at Twilio's own deadline.
        #expect(twilio.requests.count == 1)
        #expect(twilio.repliesSent == 0)
        #expect(log.lines.first?.contains("timed out") == true)
    }

    @Test func whenAllFailTheErrorIsThrownAndEachFailureLogged() throws {
        let twilio = try FakeHTTPServer(status: 503, body: "")
        let vonage = try FakeHTTPServer(status: 200, body: vonageFailed(status: "1", text: "Throttled"))
        defer { twilio.stop(); vonage.stop() }
        let log = LogLines()
        let failover = FailoverSmsSender(senders: [
            TwilioSmsSender(config: twilioConfig(base: twilio.baseURL)),
            VonageSmsSender(config: vonageConfig(base: vonage.baseURL)),
        ], output: log.append)

        let error = #expect(throws: SmsSendError.self) { try failover.send(message) }

        #expect(error?.provider == "vonage")
        #expect(error?.retryable == true)
        #expect(log.lines.count == 2)
        #expect(log.lines[1].contains("no provider left"))
    }

    @Test func aRecipientErrorWinsOverALaterOutage() throws {
        let twilio = try FakeHTTPServer(status: 400, body: twilioError(code: 21614, status: 400, message: "not a mobile number"))
        let vonage = try FakeHTTPServer(status: 500, body: "")
        defer { twilio.stop(); vonage.stop() }
        let failover = FailoverSmsSender(senders: [
            TwilioSmsSender(config: twilioConfig(base: twilio.baseURL)),
            VonageSmsSender(config: vonageConfig(base: vonage.baseURL)),
        ], output: { _ in })
        let error = #expect(throws: SmsSendError.self) { try failover.send(message) }
        #expect(error?.kind == .recipient)
        #expect(error?.reason == "This number cannot receive text messages.")
    }

    @Test func firstProviderSucceedingMeansTheSecondIsNeverCalled() throws {
        let twilio = try FakeHTTPServer(status: 201, body: twilioCreated())
        let vonage = try FakeHTTPServer(status: 200, body: vonageAccepted)
        defer { twilio.stop(); vonage.stop() }
        let failover = FailoverSmsSender(senders: [
            TwilioSmsSender(config: twilioConfig(base: twilio.baseURL)),
            VonageSmsSender(config: vonageConfig(base: vonage.baseURL)),
        ], output: { _ in })
        #expect(try failover.send(message).provider == "twilio")
        #expect(vonage.requests.isEmpty)
        #expect(failover.name == "twilio,vonage")
    }
}
