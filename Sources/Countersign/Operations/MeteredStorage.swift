import FoundationEssentials
import Phone
import Storage

/// Storage as the pages see it: the real backend, with an event log that also counts the
/// security events `/Metrics` reports (sign-ins, codes sent, verified, refused). Counting where
/// the events are written keeps the metrics out of the sign-in and phone code: every place that
/// records an event is already the one place that knows the outcome.
final class MeteredStorage: StorageBackend {
    let backend: any StorageBackend
    let events: any SecurityEventLog

    init(_ backend: any StorageBackend, metrics: PoolMetrics, parser: PhoneNumberParser) {
        self.backend = backend
        events = CountingEventLog(log: backend.events, metrics: metrics, parser: parser)
    }

    var users: any UserStore { backend.users }
    var sessions: any SessionStore { backend.sessions }
    var rateLimits: any RateLimitStore { backend.rateLimits }
    var verifications: any VerificationStore { backend.verifications }
    var blockedNumbers: any BlockedNumberStore { backend.blockedNumbers }
    var registrations: any RegistrationLog { backend.registrations }
    var recoveryCodes: any RecoveryCodeStore { backend.recoveryCodes }

    @discardableResult
    func migrate() throws -> [String] { try backend.migrate() }
    func pendingMigrations() throws -> [String] { try backend.pendingMigrations() }
    func ping(timeout: TimeInterval) throws { try backend.ping(timeout: timeout) }

    @discardableResult
    func transaction<T>(_ body: () throws -> T) throws -> T { try backend.transaction(body) }
}

/// Appends to the real log, then counts the event. Counted only once appended: an event whose
/// transaction rolls back may still be counted (counters are not transactional); that is rare
/// (a storage failure) and errs on the side of showing activity.
final class CountingEventLog: SecurityEventLog {
    private let log: any SecurityEventLog
    private let metrics: PoolMetrics
    private let parser: PhoneNumberParser

    init(log: any SecurityEventLog, metrics: PoolMetrics, parser: PhoneNumberParser) {
        self.log = log
        self.metrics = metrics
        self.parser = parser
    }

    func append(_ event: SecurityEvent) throws {
        try log.append(event)
        switch event.kind {
        case "signed-in": metrics.count("countersign_signins_total", ["result": "success"])
        case "sign-in-failed": metrics.count("countersign_signins_total", ["result": "failure"])
        case "locked-out": metrics.count("countersign_lockouts_total")
        case PhoneVerificationEventKind.codeSent.rawValue: metrics.count("countersign_sms_sent_total", ["region": region(event)])
        case PhoneVerificationEventKind.verified.rawValue: metrics.count("countersign_codes_verified_total", ["region": region(event)])
        case PhoneVerificationEventKind.limitHit.rawValue:
            // Only the known reasons become labels: a free-text detail must not grow the series.
            let reason = event.detail.flatMap { LimitReason(rawValue: $0)?.rawValue } ?? "other"
            metrics.count("countersign_sms_refused_total", ["reason": reason])
        case PhoneVerificationEventKind.sendFailed.rawValue: metrics.count("countersign_sms_failed_total")
        default: break
        }
    }

    func events(userId: String?, limit: Int) throws -> [SecurityEvent] {
        try log.events(userId: userId, limit: limit)
    }

    func events(since: Date?, userId: String?) throws -> [SecurityEvent] {
        try log.events(since: since, userId: userId)
    }

    /// The ISO region of the event's number: events keep it masked as "US ••23" (region and
    /// last two digits, CONTRACT.md §8); an older event's full number is parsed. "unknown" when
    /// it holds neither.
    private func region(_ event: SecurityEvent) -> String {
        guard let number = event.phoneNumber else { return "unknown" }
        let prefix = number.prefix(while: { $0 != " " })
        if prefix.count == 2, prefix.allSatisfy({ $0.isASCII && $0.isUppercase }) { return String(prefix) }
        guard let parsed = try? parser.parse(number) else { return "unknown" }
        return parsed.region
    }
}
