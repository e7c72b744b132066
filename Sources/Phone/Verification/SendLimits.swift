import FoundationEssentials
import Storage
import Web

/// The limits one send must fit under, as rate-limit keys in shared storage.
///
/// The cooldown and the user's hourly limit count the same key (one event per send), with the
/// cooldown as a limit of 1 per `tokens.resend_cooldown`. The daily key is shared with every
/// other SMS the installation sends (test messages). The region and prefix keys count every code
/// sent there by anyone, so a pumper spreading over many accounts, addresses and numbers of one
/// premium range still meets a limit; the region key is also the "sent" side of the conversion
/// guard (`SmsGuards`). Per-client keys use `ClientNetwork` (an IPv6 client is its /64).
struct SendLimits {
    let limits: [(reason: LimitReason, limit: RateLimit)]

    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400
    static let dailyKey = "sms:daily"

    static func regionKey(_ region: String) -> String { "sms:region:\(region)" }
    static func verifiedKey(_ region: String) -> String { "sms:verified:\(region)" }
    static func wrongCodesKey(userId: String) -> String { "phone-wrong:user:\(userId)" }
    static func wrongCodesKey(phoneNumber: String) -> String { "phone-wrong:number:\(phoneNumber)" }

    /// The number range of an E.164 number: all of it but the last 4 digits ("+1201555").
    static func prefixKey(_ e164: String) -> String { "sms:prefix:\(e164.dropLast(4))" }

    /// The limits of a code send to `phoneNumber` (E.164) in `region`.
    init(settings: PhoneVerificationSettings, userId: String, phoneNumber: String, region: String, clientAddress: String) {
        let userKey = "phone-send:user:\(userId)"
        var limits: [(LimitReason, RateLimit)] = []
        if settings.resendCooldown > 0 {
            limits.append((.cooldown, RateLimit(key: userKey, limit: 1, window: settings.resendCooldown)))
        }
        limits.append((.userHourly, RateLimit(key: userKey, limit: settings.maxSendsPerHour, window: Self.hour)))
        limits.append((.numberHourly, RateLimit(key: "phone-send:number:\(phoneNumber)", limit: settings.maxSendsPerHour, window: Self.hour)))
        limits.append((.ipHourly, RateLimit(key: "phone-send:ip:\(ClientNetwork.limitKey(for: clientAddress))",
                                            limit: settings.maxSendsPerIPPerHour, window: Self.hour)))
        // 0 means no limit, but the region's sends are still counted for the conversion guard.
        limits.append((.regionHourly, RateLimit(key: Self.regionKey(region), limit: Self.orUnlimited(settings.maxPerRegionPerHour),
                                                window: Self.hour)))
        if settings.maxPerPrefixPerHour > 0 {
            limits.append((.prefixHourly, RateLimit(key: Self.prefixKey(phoneNumber), limit: settings.maxPerPrefixPerHour, window: Self.hour)))
        }
        limits.append((.daily, RateLimit(key: Self.dailyKey, limit: settings.dailyLimit, window: Self.day)))
        self.limits = limits
    }

    /// The limit of a message that is not a code (the test SMS): only the daily one.
    init(dailyLimit: Int) {
        limits = [(.daily, RateLimit(key: Self.dailyKey, limit: dailyLimit, window: Self.day))]
    }

    private static func orUnlimited(_ limit: Int) -> Int { limit > 0 ? limit : Int(Int32.max) }

    var rateLimits: [RateLimit] { limits.map(\.limit) }

    /// Which limit refused, after `consumeAll` said no with `retryAt`: the one whose own retry
    /// date is the latest (the one the user waits for). Read after the refusal, so a limit that
    /// freed up in between is skipped; when none refuses any more, the first that could.
    func reason(retryAt: Date, store: any RateLimitStore, now: Date) throws -> LimitReason {
        var latest: (reason: LimitReason, date: Date)?
        for (reason, limit) in limits {
            guard let date = try store.check(key: limit.key, limit: limit.limit, window: limit.window, now: now) else { continue }
            if latest == nil || date > latest!.date { latest = (reason, date) }
        }
        return latest?.reason ?? limits[0].reason
    }
}
