import FoundationEssentials
import Messaging
import Storage
import Web

/// Mails a `/ResetPassword?UserId=…&Token=…` link (built from `server.base_url`, valid
/// `passwords.reset_lifetime`, dead once the password changes), at most `email.max_per_hour`
/// per address. A refused or failed send is logged only: the visitor always gets the same answer.
struct PasswordResetMailer {
    let services: Services

    func send(to user: UserRecord, context: RequestContext) throws {
        let settings = services.settings
        if try services.storage.rateLimits.consume(
            key: "reset-email:" + user.normalizedEmail, limit: settings.email.maxPerHour, window: 3600, now: context.now
        ) != nil {
            services.log.info("password-reset email for user \(user.id) not sent: hourly limit reached")
            return
        }
        let token = services.resetLinks.token(for: user, now: context.now)
        let link = settings.server.baseURL + settings.server.mount + "/ResetPassword?UserId="
            + FormEncoding.percentEncode(user.id) + "&Token=" + FormEncoding.percentEncode(token)
        let values: [String: TemplateValue] = [
            "appName": .string(settings.server.appName),
            "firstName": .string(user.firstName),
            "link": .string(link),
            "lifetime": .string(String(HTTPError.describeWait(seconds: Int(settings.passwordReset.lifetime)).dropFirst("in ".count))),
            "twoFactor": .bool(user.twoFactorEnabled),
        ]
        do {
            try services.email.send(EmailMessage(
                to: user.email,
                subject: "Reset your password for \(settings.server.appName)",
                text: try services.templates.renderText("email-reset-password", values),
                html: try services.templates.render("email-reset-password", values)
            ))
            try services.storage.events.append(SecurityEvent(time: context.now, kind: "password-reset-link-sent", userId: user.id,
                                                             ipAddress: context.clientAddress))
        } catch {
            services.log.error("the password-reset email for user \(user.id) could not be sent: \(error)")
        }
    }
}
