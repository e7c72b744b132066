import Config
@testable import Messaging
import Testing

@Suite struct SmsProvidersTests {
    @Test func defaultIsLog() {
        let config = makeConfig("")
        let sender = SmsProviders.make(config: config)
        #expect(sender is LogSmsSender)
        #expect(config.problems.isEmpty)
    }

    @Test(arguments: [("log", "log"), ("file", "file"), ("twilio", "twilio"), ("vonage", "vonage"), ("http", "http"), ("command", "command")])
    func eachNameMakesItsProvider(name: String, expected: String) {
        let config = makeConfig("[sms]\nprovider = \(name)\n")
        #expect(SmsProviders.make(config: config)?.name == expected)
    }

    @Test func unknownNameIsAProblemListingTheKnownOnes() {
        let config = makeConfig("[sms]\nprovider = twillio\n")
        #expect(SmsProviders.make(config: config) == nil)
        #expect(config.problemMessages == ["test.conf:2: sms.provider: unknown provider \"twillio\"; known providers: log, file, twilio, vonage, http, command"])
    }

    @Test func commaListMakesFailoverInOrder() throws {
        let config = makeConfig("""
            [sms]
            provider = twilio, vonage, log
            [twilio]
            account_sid = \(twilioSid)
            auth_token = t
            from = +15005550006
            [vonage]
            api_key = k
            api_secret = s
            from = Countersign
            """)
        let failover = try #require(SmsProviders.make(config: config) as? FailoverSmsSender)
        #expect(failover.senders.map(\.name) == ["twilio", "vonage", "log"])
        #expect(config.problems.isEmpty)
    }

    @Test func everyChosenProvidersMissingKeysAreListed() {
        let config = makeConfig("[sms]\nprovider = twilio, vonage\n")
        _ = SmsProviders.make(config: config)
        let messages = config.problemMessages
        #expect(messages.count == 6)
        for key in ["twilio.account_sid", "twilio.auth_token", "twilio.from", "vonage.api_key", "vonage.api_secret", "vonage.from"] {
            #expect(messages.contains { $0.contains(key) })
        }
    }

    @Test func repeatedNameIsAProblem() {
        let config = makeConfig("[sms]\nprovider = log, log\n")
        #expect(SmsProviders.make(config: config) == nil)
        #expect(config.problemMessages == ["test.conf:2: sms.provider: lists \"log\" twice"])
    }

    @Test func configKeysCoverEveryKeyTheProvidersRead() throws {
        let config = makeConfig("""
            [sms]
            provider = file, twilio, vonage, http, command
            path = /tmp/x
            command = /bin/true
            [http_sms]
            url = https://gateway.example/send
            method = POST
            content_type = application/json
            body = {"to":"{to}","text":"{text}","from":"{from}"}
            from = Countersign
            headers = Authorization: Bearer t
            accept_status = 200-299
            timeout = 5s
            [twilio]
            account_sid = \(twilioSid)
            auth_token = t
            from = +15005550006
            api_base = https://api.twilio.com
            [vonage]
            api_key = k
            api_secret = s
            from = C
            api_base = https://rest.nexmo.com
            """)
        _ = SmsProviders.make(config: config)
        #expect(throws: Never.self) { try config.finish(knownKeys: SmsProviders.configKeys) }
    }
}

@Suite struct EmailProvidersTests {
    @Test func defaultIsLog() {
        let config = makeConfig("")
        #expect(EmailProviders.make(config: config) is LogEmailSender)
        #expect(config.problems.isEmpty)
    }

    @Test(arguments: ["log", "file", "smtp", "command"])
    func eachNameMakesItsProvider(name: String) {
        #expect(EmailProviders.make(config: makeConfig("[email]\nprovider = \(name)\n"))?.name == name)
    }

    @Test func unknownNameIsAProblemListingTheKnownOnes() {
        let config = makeConfig("[email]\nprovider = sendgrid\n")
        #expect(EmailProviders.make(config: config) == nil)
        #expect(config.problemMessages == ["test.conf:2: email.provider: unknown provider \"sendgrid\"; known providers: log, file, smtp, command"])
    }

    @Test func badFromIsAProblemWhateverTheProvider() {
        let config = makeConfig("[email]\nprovider = log\nfrom = Countersign no-reply@localhost\n")
        _ = EmailProviders.make(config: config)
        #expect(config.problemMessages.count == 1)
        #expect(config.problemMessages.first?.hasPrefix("test.conf:3: email.from: must be an address") == true)
    }

    @Test func configKeysCoverEveryKeyTheProvidersRead() {
        let config = makeConfig("""
            [email]
            provider = smtp
            from = a@example.com
            path = x
            url = smtps://mail.example.com
            username = u
            password = p
            allow_plaintext = false
            command = /bin/true
            """)
        _ = EmailProviders.make(config: config)
        #expect(throws: Never.self) { try config.finish(knownKeys: EmailProviders.configKeys) }
    }
}
