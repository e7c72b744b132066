import Config
import Crypto
import Messaging
import Phone
import Timekeeping

/// The phone-verification providers chosen in the config: the SMS sender (`sms.provider`) and the
/// code issuer (`tokens.provider`). Problems are recorded in the config, never thrown here.
struct PhoneProviders {
    let settings: PhoneVerificationSettings
    let sms: (any SmsSender)?
    let issuer: (any CodeIssuer)?

    init(config: Config, settings app: AppSettings, clock: any WallClock, random: any RandomSource) {
        let settings = PhoneVerificationSettings(config: config, webOtpHost: app.server.baseHost)
        let sms = SmsProviders.make(config: config, clock: clock)
        self.settings = settings
        self.sms = sms
        issuer = sms.flatMap {
            CodeIssuers.make(.init(config: config, settings: settings, sms: $0, cookieSecret: app.cookies.secret, random: random))
        }
    }
}
