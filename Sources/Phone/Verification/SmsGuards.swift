import FoundationEssentials
import Storage

/// The checks a send passes before anything is counted: the operator's block list, the guessing
/// bound over days, and the conversion guard against SMS pumping (CONTRACT.md §6). Each is one
/// or two indexed reads through the storage protocols; none records anything, so a refused send
/// costs nobody an allowance.
struct SmsGuards {
    struct Refusal {
        let reason: LimitReason
        let retryAt: Date
        /// For the security event: what tripped, never the whole number.
        let detail: String
    }

    /// The conversion guard's reading of one region.
    struct Conversion {
        let region: String
        let sent: Int
        let verified: Int
        var description: String { "\(region): \(verified) of \(sent) codes verified" }
    }

    let settings: PhoneVerificationSettings
    let storage: any StorageBackend

    /// Why a code must not go to `phoneNumber` now, or nil. `conversionTripped` is called with
    /// the reading when the conversion guard trips in `monitor` mode (the send goes ahead).
    func refusal(userId: String?, phoneNumber: String, region: String, now: Date,
                 conversionTripped: (Conversion) -> Void) throws -> Refusal? {
        if try storage.blockedNumbers.isBlocked(phoneNumber: phoneNumber, now: now) {
            return Refusal(reason: .blockedNumber, retryAt: now + SendLimits.hour, detail: "blocked by the operator")
        }
        var wrongKeys = [SendLimits.wrongCodesKey(phoneNumber: phoneNumber)]
        if let userId { wrongKeys.insert(SendLimits.wrongCodesKey(userId: userId), at: 0) }
        for key in wrongKeys {
            if let retryAt = try storage.rateLimits.check(key: key, limit: settings.maxWrongCodesPerDay, window: SendLimits.day, now: now) {
                let whose = key.hasPrefix("phone-wrong:user:") ? "the user" : "the number"
                return Refusal(reason: .wrongCodes, retryAt: retryAt,
                               detail: "\(settings.maxWrongCodesPerDay) wrong codes for \(whose) in 24 hours")
            }
        }
        if let reading = try conversion(region: region, now: now), reading.isBelowMinimum(settings.minConversion) {
            switch settings.fraudAction {
            case .block:
                return Refusal(reason: .lowConversion, retryAt: now + settings.conversionWindow / 4,
                               detail: "conversion \(reading.description), below \(settings.minConversion)")
            case .monitor:
                conversionTripped(reading)
            }
        }
        return nil
    }

    /// After a right code: the "verified" side of the conversion guard, per region.
    func recordVerified(phoneNumber: String, now: Date) throws {
        try storage.rateLimits.record(key: SendLimits.verifiedKey(EventNumber.region(of: phoneNumber)), at: now)
    }

    /// After a wrong code: counts it for the user and the number for 24 hours, whatever sends and
    /// burns come between. Returns true when either has now reached `maxWrongCodesPerDay`.
    func recordWrongCode(userId: String, phoneNumber: String, now: Date) throws -> Bool {
        let keys = [SendLimits.wrongCodesKey(userId: userId), SendLimits.wrongCodesKey(phoneNumber: phoneNumber)]
        for key in keys { try storage.rateLimits.record(key: key, at: now) }
        return try keys.contains {
            try storage.rateLimits.count(key: $0, window: SendLimits.day, now: now) >= settings.maxWrongCodesPerDay
        }
    }

    /// The region's codes sent and verified in `sms.conversion_window`, when there are enough
    /// sends to judge (`sms.conversion_min_sample`) and the guard is on; else nil.
    func conversion(region: String, now: Date) throws -> Conversion? {
        guard settings.minConversion > 0 else { return nil }
        let sent = try storage.rateLimits.count(key: SendLimits.regionKey(region), window: settings.conversionWindow, now: now)
        guard sent >= settings.conversionMinSample else { return nil }
        let verified = try storage.rateLimits.count(key: SendLimits.verifiedKey(region), window: settings.conversionWindow, now: now)
        return Conversion(region: region, sent: sent, verified: verified)
    }
}

extension SmsGuards.Conversion {
    func isBelowMinimum(_ minimum: Double) -> Bool {
        Double(verified) < minimum * Double(sent)
    }
}
