import FoundationEssentials

/// Deletes rows nobody can use any more: expired sessions, rate-limit events older than the
/// longest window (24 h), verifications whose attempt count is no longer remembered, accounts
/// never confirmed within `email.unconfirmed_lifetime`. Nothing
/// depends on it for correctness — every read checks expiry itself — it only keeps tables small.
/// Run at start-up and every `interval` requests by each worker.
struct Maintenance {
    static let interval = 500

    let services: Services

    func run() {
        let now = services.clock.now
        do {
            try services.storage.sessions.deleteExpired(now: now, idleTimeout: services.settings.session.idleTimeout)
            try services.storage.rateLimits.prune(before: now.addingTimeInterval(-86_400))
            try services.phoneVerifier.deleteForgottenVerifications()
            if services.settings.email.requireConfirmed {
                try services.storage.registrations.deleteUnconfirmed(
                    registeredBefore: now.addingTimeInterval(-services.settings.email.unconfirmedLifetime), normalizedEmail: nil)
            }
        } catch {
            services.log.error("maintenance failed: \(error)")
        }
    }
}
