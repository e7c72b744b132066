import Config
import Crypto
import Messaging
import Phone
import Timekeeping

/// The phone-verification providers chosen in the config: the SMS sender (`sms.provider`) and the
/// code issuer (`tokens.provider`). Problems are recorded in the config, never thrown here.
struct PhoneProviders {
    let settings: PhoneVerificationSettings
    let sms: SmsSender?
    let issuer: CodeIssuer?

    init(config: Config, settings app: AppSettings, clock: WallClock, random: RandomSource) {
        let settings = PhoneVerificationSettings(config: config, webOtpHost: app.server.baseHost)
        let sms = SmsProviders.make(config: config, clock: clock)
        self.settings = settings
        self.sms = sms
        issuer = sms.flatMap {
            CodeIssuers.make(.init(config: config, settings: settings, sms: $0, cookieSecret: app.cookies.secret, random: random))
        }
    }
}

/// `check-config` and `send-test-sms`.
enum PhoneServices {
    /// Validates every phone key and provider, and warns when a code message needs more than one
    /// SMS segment (each segment is billed as a message).
    static func check(config: Config, settings: AppSettings) {
        let providers = PhoneProviders(config: config, settings: settings, clock: SystemClock(), random: SecureRandom())
        providers.settings.warnAboutMessageLength(config: config)
    }

    static func sendTestMessage(services: Services, number: String) throws -> Int32 {
        let parsed: PhoneNumber
        do {
            parsed = try services.settings.phone.parser.parse(number)
        } catch {
            CountersignCommand.printError("countersign: \(number): \(error.message)")
            return 2
        }
        do {
            let receipt = try services.phoneVerifier.sendTestMessage(to: parsed)
            print("countersign: test message sent to \(parsed.masked) through \(receipt.provider)\(receipt.messageId.map { " (id \($0))" } ?? "")")
            return 0
        } catch {
            CountersignCommand.printError("countersign: test message not sent: \(error.userMessage) [\(error)]")
            return 1
        }
    }
}
