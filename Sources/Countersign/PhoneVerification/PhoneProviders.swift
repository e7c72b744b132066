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
