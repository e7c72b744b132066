import FoundationEssentials
import Messaging
import Storage
import Web

/// Sends the "confirm your email" message, at most `email.max_per_hour` per address — a limit
/// kept in storage, so every worker counts the same sends.
struct ConfirmationMailer {
    enum Outcome: Equatable {
        case sent
        case limited(retryAt: Date)
    }

    let services: Services

    func send(to user: UserRecord, now: Date) throws -> Outcome {
        let settings = services.settings
        if let retryAt = try services.storage.rateLimits.consume(
            key: "confirm-email:" + user.normalizedEmail, limit: settings.email.maxPerHour, window: 3600, now: now
        ) {
            return .limited(retryAt: retryAt)
        }
        let token = services.confirmationLinks.token(for: user, now: now)
        let link = settings.server.baseURL + settings.server.mount + "/ConfirmEmail?UserId="
            + FormEncoding.percentEncode(user.id) + "&Token=" + FormEncoding.percentEncode(token)
        let hours = Int((settings.email.confirmLifetime / 3600).rounded(.up))
        let values: [String: TemplateValue] = [
            "appName": .string(settings.server.appName),
            "firstName": .string(user.firstName),
            "link": .string(link),
            "lifetime": .string(hours == 1 ? "1 hour" : "\(hours) hours"),
        ]
        let message = EmailMessage(
            to: user.email,
            subject: "Confirm your email for \(settings.server.appName)",
            text: try services.templates.renderText("email-confirm", values),
            html: try services.templates.render("email-confirm", values)
        )
        try services.email.send(message)
        try services.storage.events.append(SecurityEvent(time: now, kind: .confirmationEmailSent, userId: user.id, ipAddress: nil))
        return .sent
    }
}
