import Crypto
import FoundationEssentials
import Storage
import Web

/// `email.lookups_per_ip_per_hour`: registration attempts and address lookups per client
/// address (an IPv6 client by its /64), so the "already taken" answers cannot be used to list who
/// has an account.
enum LookupLimit {
    static func consume(_ context: RequestContext) throws {
        if let retryAt = try context.services.storage.rateLimits.consume(
            key: "lookup-ip:" + ClientNetwork.limitKey(for: context.clientAddress),
            limit: context.services.settings.email.lookupsPerIPPerHour, window: 3600, now: context.now
        ) {
            throw HTTPError.tooManyRequests(retryAfter: retryAt.timeIntervalSince(context.now), what: "Too many attempts from your network.")
        }
    }
}
