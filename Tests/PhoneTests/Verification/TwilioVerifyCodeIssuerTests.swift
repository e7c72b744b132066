import Config
import Foundation
import Messaging
@testable import Phone
import Storage
import TestSupport
import Testing

let twilioAccountSid = "AC0123456789abcdef0123456789abcdef"
let verifyServiceSid = "VA0123456789abcdef0123456789abcdef"

func twilioVerifyConfig(base: String) -> Config {
    makeConfig("""
        [tokens]
        provider = twilio-verify
        [twilio]
        account_sid = \(twilioAccountSid)
        auth_token = the-auth-token
        verify_service_sid = \(verifyServiceSid)
        verify_api_base = \(base)
        """)
}

/// Twilio's documented 201 answer to starting a Verification (trimmed).
func verificationStarted(to: String = numberA) -> String {
    """
    {"sid": "VE0123456789abcdef0123456789abcdef", "service_sid": "\(verifyServiceSid)", "account_sid": "\(twilioAccountSid)", \
    "to": "\(to)", "channel": "sms", "status": "pending", "valid": false, "date_created": "2026-11-26T12:00:00Z", \
    "date_updated": "2026-11-26T12:00:00Z", "lookup": {}, "amount": null, "payee": null, \
    "send_code_attempts": [{"time": "2026-11-26T12:00:00.000Z", "channel": "SMS", "attempt_sid": "VL0123456789abcdef0123456789abcdef"}], \
    "sna": null, "url": "https://verify.twilio.com/v2/Services/\(verifyServiceSid)/Verifications/VE0123456789abcdef0123456789abcdef"}
    """
}

/// Twilio's documented 200 answer to a VerificationCheck.
func verificationChecked(status: String, to: String = numberA) -> String {
    """
    {"sid": "VE0123456789abcdef0123456789abcdef", "service_sid": "\(verifyServiceSid)", "account_sid": "\(twilioAccountSid)", \
    "to": "\(to)", "channel": "sms", "status": "\(status)", "valid": \(status == "approved"), "amount": null, "payee": null, \
    "date_created": "2026-11-26T12:00:00Z", "date_updated": "2026-11-26T12:01:00Z", "sna_attempts_error_codes": []}
    """
}

func twilioError(code: Int, status: Int, message: String) -> String {
    """
    {"code": \(code), "message": "\(message)", "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": \(status)}
    """
}

/// A fake Verify service: starts answer 201, checks answer as `checkReply` says for the code.
func fakeVerifyService(checkReply: @escaping @Sendable (String) -> FakeHTTPServer.Reply) throws -> FakeHTTPServer {
    try FakeHTTPServer { request in
        switch request.path {
        case "/v2/Services/\(verifyServiceSid)/Verifications":
            return .init(status: 201, body: verificationStarted(to: request.form["To"] ?? ""))
        case "/v2/Services/\(verifyServiceSid)/VerificationCheck":
            return checkReply(request.form["Code"] ?? "")
        default:
            return .init(status: 404, body: twilioError(code: 20404, status: 404, message: "The requested resource was not found"))
        }
    }
}

@Suite struct TwilioVerifyCodeIssuerTests {
    @Test func startSendsTheDocumentedRequest() throws {
        let server = try fakeVerifyService { _ in .init(status: 500, body: "") }
        defer { server.stop() }
        let config = twilioVerifyConfig(base: server.baseURL)
        let issuer = TwilioVerifyCodeIssuer(config: config)
        #expect(config.problems.isEmpty)

        #expect(try issuer.issue(to: numberA, for: makeUser(), now: testEpoch) == nil)

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v2/Services/\(verifyServiceSid)/Verifications")
        #expect(request.basicAuth?.user == twilioAccountSid)
        #expect(request.basicAuth?.password == "the-auth-token")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.formPairs.map(\.0) == ["To", "Channel"])
        #expect(request.form == ["To": numberA, "Channel": "sms"])
    }

    @Test func checkSendsTheDocumentedRequest() throws {
        let server = try fakeVerifyService { _ in .init(status: 200, body: verificationChecked(status: "approved")) }
        defer { server.stop() }
        let issuer = TwilioVerifyCodeIssuer(config: twilioVerifyConfig(base: server.baseURL))
        let pending = PendingVerification(userId: "u", phoneNumber: numberA, codeHash: nil, expiresAt: testEpoch + 600,
                                          attempts: 0, sends: 1, lastSentAt: testEpoch, createdAt: testEpoch)

        #expect(try issuer.check("123456", against: pending, for: makeUser(), now: testEpoch) == .right)

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v2/Services/\(verifyServiceSid)/VerificationCheck")
        #expect(request.basicAuth?.user == twilioAccountSid)
        #expect(request.basicAuth?.password == "the-auth-token")
        #expect(request.form == ["To": numberA, "Code": "123456"])
    }

    @Test(arguments: [
        (200, verificationChecked(status: "approved"), CodeCheck.right),
        (200, verificationChecked(status: "pending"), CodeCheck.wrong),
        (200, verificationChecked(status: "max_attempts_reached"), CodeCheck.burned),
        (200, verificationChecked(status: "canceled"), CodeCheck.expired),
        (404, twilioError(code: 20404, status: 404, message: "The requested resource /Services/VA…/VerificationCheck was not found"), CodeCheck.expired),
        (429, twilioError(code: 60202, status: 429, message: "Max check attempts reached"), CodeCheck.burned),
    ])
    func checkAnswersMapToOutcomes(status: Int, body: String, expected: CodeCheck) throws {
        let server = try FakeHTTPServer(status: status, body: body)
        defer { server.stop() }
        let issuer = TwilioVerifyCodeIssuer(config: twilioVerifyConfig(base: server.baseURL))
        let pending = PendingVerification(userId: "u", phoneNumber: numberA, codeHash: nil, expiresAt: testEpoch + 600,
                                          attempts: 0, sends: 1, lastSentAt: testEpoch, createdAt: testEpoch)
        #expect(try issuer.check("123456", against: pending, for: makeUser(), now: testEpoch) == expected)
    }

    @Test(arguments: [
        (500, "{}"), (401, twilioError(code: 20003, status: 401, message: "Authenticate")),
        (429, twilioError(code: 20429, status: 429, message: "Too Many Requests")), (200, "not json"),
    ])
    func checkFailuresAreNotAnswers(status: Int, body: String) throws {
        let server = try FakeHTTPServer(status: status, body: body)
        defer { server.stop() }
        let issuer = TwilioVerifyCodeIssuer(config: twilioVerifyConfig(base: server.baseURL))
        let pending = PendingVerification(userId: "u", phoneNumber: numberA, codeHash: nil, expiresAt: testEpoch + 600,
                                          attempts: 0, sends: 1, lastSentAt: testEpoch, createdAt: testEpoch)
        #expect(throws: CodeCheckFailure.self) { try issuer.check("123456", against: pending, for: makeUser(), now: testEpoch) }
    }

    @Test(arguments: ["12", "12345678901", "12a456", ""])
    func malformedCodesAreWrongWithoutAsking(code: String) throws {
        let server = try FakeHTTPServer(status: 200, body: verificationChecked(status: "approved"))
        defer { server.stop() }
        let issuer = TwilioVerifyCodeIssuer(config: twilioVerifyConfig(base: server.baseURL))
        let pending = PendingVerification(userId: "u", phoneNumber: numberA, codeHash: nil, expiresAt: testEpoch + 600,
                                          attempts: 0, sends: 1, lastSentAt: testEpoch, createdAt: testEpoch)
        #expect(try issuer.check(code, against: pending, for: makeUser(), now: testEpoch) == .wrong)
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: [
        (400, 60200, SmsSendError.Kind.recipient), (400, 60205, .recipient), (401, 20003, .configuration),
        (404, 20404, .configuration), (429, 60203, .unavailable), (503, 0, .unavailable), (403, 60410, .rejected),
    ])
    func refusedStartsMapToSendErrors(status: Int, code: Int, kind: SmsSendError.Kind) throws {
        let server = try FakeHTTPServer(status: status, body: twilioError(code: code, status: status, message: "refused"))
        defer { server.stop() }
        let issuer = TwilioVerifyCodeIssuer(config: twilioVerifyConfig(base: server.baseURL))
        let error = #expect(throws: SmsSendError.self) { try issuer.issue(to: numberA, for: makeUser(), now: testEpoch) }
        #expect(error?.kind == kind)
        #expect(error?.provider == "twilio-verify")
        #expect(error?.providerCode == String(code))
    }

    @Test func missingAndMalformedKeysAreConfigErrors() {
        let config = makeConfig("""
            [tokens]
            provider = twilio-verify
            [twilio]
            account_sid = AC123
            verify_service_sid = MG0123456789abcdef0123456789abcdef
            verify_api_base = http://verify.example.com
            """)
        _ = TwilioVerifyCodeIssuer(config: config)
        let messages = config.problems.map(\.description)
        #expect(messages.contains("test.conf:4: twilio.account_sid: must be the Account SID: AC followed by 32 hexadecimal digits"))
        #expect(messages.contains("test.conf: missing key twilio.auth_token, required by tokens.provider = twilio-verify"))
        #expect(messages.contains("test.conf:5: twilio.verify_service_sid: must be a Verify Service SID: VA followed by 32 hexadecimal digits"))
        #expect(messages.contains { $0.hasPrefix("test.conf:6: twilio.verify_api_base: must be an https:// URL") })
        #expect(messages.count == 4)
    }

    @Test func theRegistryBuildsItByName() throws {
        let config = twilioVerifyConfig(base: "https://verify.twilio.com")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        let issuer = CodeIssuers.make(.init(config: config, settings: settings, sms: RecordingSmsSender(),
                                            cookieSecret: testSecret, random: SeededRandom()))
        #expect(issuer is TwilioVerifyCodeIssuer)
        #expect(config.problems.isEmpty)
    }
}

/// PhoneVerifier's rules with Twilio checking the code remotely.
@Suite struct TwilioVerifyVerificationTests {
    let ip = "203.0.113.1"

    func world(_ server: FakeHTTPServer, extra: String = "") throws -> (VerificationWorld, PhoneVerifier) {
        let world = try VerificationWorld()
        let config = twilioVerifyConfig(base: server.baseURL)
        let settings = world.settings("[tokens]\nprovider = twilio-verify\nmax_attempts = 3\n" + extra)
        return (world, try world.verifier(settings, issuer: TwilioVerifyCodeIssuer(config: config)))
    }

    @Test func approvedConfirmsOnceAndPendingCountsAsWrong() throws {
        let server = try fakeVerifyService { code in
            .init(status: 200, body: verificationChecked(status: code == "246810" ? "approved" : "pending"))
        }
        defer { server.stop() }
        let (world, verifier) = try world(server)
        let pending = try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        #expect(pending.codeHash == nil)
        #expect(world.sms.sent.isEmpty)  // Twilio sends it

        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "111111", user: world.user(), clientAddress: ip) }
        #expect(error?.attemptsLeft == 2)
        let user = try world.user()
        #expect(try verifier.verify(code: "246810", user: user, clientAddress: ip) == numberA)
        #expect(try world.user().phoneNumberConfirmed)
        // Twilio would now answer 404; even a stale "approved" does not confirm twice.
        let again = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "246810", user: user, clientAddress: ip) }
        #expect(again?.isNothingPending == true)
    }

    @Test func notFoundIsExpiredAndKeepsThePendingRowForAResend() throws {
        let server = try fakeVerifyService { _ in .init(status: 404, body: twilioError(code: 20404, status: 404, message: "not found")) }
        defer { server.stop() }
        let (world, verifier) = try world(server)
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "123456", user: world.user(), clientAddress: ip) }
        #expect(error?.isExpired == true)
        #expect(try verifier.pending(userId: world.users[0].id)?.attempts == 0)
    }

    @Test func ourAttemptLimitAppliesOnTopOfTwilios() throws {
        let server = try fakeVerifyService { _ in .init(status: 200, body: verificationChecked(status: "pending")) }
        defer { server.stop() }
        let (world, verifier) = try world(server, extra: "resend_cooldown = 0s\n")
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        for _ in 0..<2 {
            #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "123456", user: world.user(), clientAddress: ip) }
        }
        try verifier.resend(user: world.user(), clientAddress: ip)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "123456", user: world.user(), clientAddress: ip) }
        #expect(error?.isBurned == true)
        #expect(server.requests.filter { $0.path.hasSuffix("/Verifications") }.count == 2)
        #expect(server.requests.filter { $0.path.hasSuffix("/VerificationCheck") }.count == 3)
    }

    @Test func aFailedCheckCountsNothing() throws {
        let server = try fakeVerifyService { _ in .init(status: 503, body: "{}") }
        defer { server.stop() }
        let (world, verifier) = try world(server)
        try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
        let error = #expect(throws: PhoneVerificationError.self) { try verifier.verify(code: "123456", user: world.user(), clientAddress: ip) }
        guard case .checkFailed = error else {
            Issue.record("expected checkFailed, got \(String(describing: error))")
            return
        }
        #expect(try verifier.pending(userId: world.users[0].id)?.attempts == 0)
    }

    @Test func aRefusedStartIsNotCounted() throws {
        let server = try FakeHTTPServer(status: 400, body: twilioError(code: 60200, status: 400, message: "Invalid parameter: To"))
        defer { server.stop() }
        let (world, verifier) = try world(server, extra: "max_sends_per_hour = 1\n")
        for _ in 0..<3 {
            let error = #expect(throws: PhoneVerificationError.self) {
                try verifier.send(to: phone(numberA), user: world.user(), clientAddress: ip)
            }
            #expect(error?.userMessage == "This number cannot receive text messages.")
        }
        #expect(try verifier.pending(userId: world.users[0].id) == nil)
    }
}
