import Config
import Messaging
@testable import Phone
import Testing

@Suite struct PhoneVerificationSettingsTests {
    @Test func defaultsAreTheContractsOnes() {
        let config = makeConfig("")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        #expect(config.problems.isEmpty)
        #expect(settings == PhoneVerificationSettings(
            provider: "stored", digits: 6, lifetime: 600, maxAttempts: 5, resendCooldown: 60, maxSendsPerHour: 5,
            maxSendsPerIPPerHour: 20, template: "Your {app} code is {code}. Valid for {minutes} min.", webOtp: true,
            dailyLimit: 1000, appName: "Countersign", webOtpHost: "example.com"))
    }

    @Test func everyKeyIsRead() {
        let config = makeConfig("""
            [server]
            app_name = Shop
            [tokens]
            provider = totp
            digits = 8
            lifetime = 5m
            max_attempts = 3
            resend_cooldown = 0s
            max_sends_per_hour = 4
            max_sends_per_ip_per_hour = 9
            [sms]
            template = {code} is your {app} code
            webotp = false
            daily_limit = 50
            """)
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "shop.example")
        #expect(config.problems.isEmpty)
        #expect(settings == PhoneVerificationSettings(
            provider: "totp", digits: 8, lifetime: 300, maxAttempts: 3, resendCooldown: 0, maxSendsPerHour: 4,
            maxSendsPerIPPerHour: 9, template: "{code} is your {app} code", webOtp: false, dailyLimit: 50,
            appName: "Shop", webOtpHost: "shop.example"))
        // totp codes have 6 digits whatever tokens.digits says, and the operator is told.
        #expect(settings.codeLength == 6)
        #expect(config.warnings.contains { $0.message.contains("tokens.digits") })
    }

    @Test func unknownProviderIsAnErrorListingTheKnownOnes() {
        let config = makeConfig("[tokens]\nprovider = authy\n")
        _ = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        let messages = config.problems.map(\.description)
        #expect(messages == ["test.conf:2: tokens.provider must be one of stored, totp, twilio-verify, got \"authy\""])
    }

    @Test(arguments: [
        "[tokens]\ndigits = 5", "[tokens]\ndigits = 11", "[tokens]\nlifetime = 0s", "[tokens]\nmax_attempts = 0",
        "[tokens]\nresend_cooldown = soon", "[tokens]\nmax_sends_per_hour = 0", "[sms]\ndaily_limit = -1",
        "[sms]\nwebotp = maybe", "[sms]\ntemplate = Hello {app}", "[sms]\ntemplate = {code} {cod}",
    ])
    func badValuesAreConfigErrors(text: String) {
        let config = makeConfig(text)
        _ = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        #expect(config.problems.count == 1, "\(config.problems)")
        #expect(config.problems.first?.line == 2)
    }

    @Test func zeroCooldownIsAllowed() {
        let config = makeConfig("[tokens]\nresend_cooldown = 0s")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        #expect(config.problems.isEmpty)
        #expect(settings.resendCooldown == 0)
    }

    @Test func anEmptyAppNameIsLeftToTheServerSettingsToReport() {
        let config = makeConfig("[server]\napp_name =\n")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        #expect(config.problems.isEmpty)
        #expect(settings.appName == "Countersign")
    }

    @Test func theMessageUsesTheSettings() {
        let settings = PhoneVerificationSettings(lifetime: 90, appName: "Shop", webOtpHost: "shop.example")
        #expect(settings.message(code: "123456") == "Your Shop code is 123456. Valid for 2 min.\n\n@shop.example #123456")
    }

    @Test func totpCodesAreAnnouncedWithTheirSixGuaranteedMinutes() {
        let settings = PhoneVerificationSettings(provider: "totp", lifetime: 600, webOtpHost: "example.com")
        #expect(settings.codeLifetime == 360)
        #expect(settings.message(code: "123456").contains("Valid for 6 min."))
    }

    @Test func theDefaultMessageFitsOneSegmentWithTenDigits() {
        let config = makeConfig("[tokens]\ndigits = 10")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "a-rather-long-host-name.example.com")
        settings.warnAboutMessageLength(config: config)
        #expect(config.warnings.isEmpty)
    }

    @Test func aTwoSegmentMessageIsWarnedAbout() throws {
        // 140 characters of template (one segment alone), then the 22 of the WebOTP line.
        let padding = String(repeating: "x", count: 140 - "{code}".count)
        let config = makeConfig("[sms]\ntemplate = {code}\(padding)")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        #expect(SmsSegments.count(for: settings.message(code: "999999")).segments == 2)
        settings.warnAboutMessageLength(config: config)
        let warning = try #require(config.warnings.first)
        #expect(config.warnings.count == 1)
        #expect(warning.line == 2)
        #expect(warning.message.hasPrefix("warning: sms.template: the message takes 2 SMS segments"))
    }

    @Test func aNonGsmCharacterThatMakesTwoSegmentsIsWarnedAbout() {
        let config = makeConfig("[sms]\ntemplate = Ваш код {code}. \(String(repeating: "я", count: 40))")
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        settings.warnAboutMessageLength(config: config)
        #expect(config.warnings.first?.message.contains("UCS-2") == true)
    }
}
