import Storage
import Web

/// POST `/ResendConfirmationEmail`: a new link at once, within the limits. The answer is the same
/// whether or not the address has an account, so it cannot be used to find accounts.
enum ResendConfirmationEmail {
    static func post(_ context: RequestContext) throws -> Response {
        let services = context.services
        let email = context.field("Email")?.trimmingSpaces ?? ""
        if EmailAddress.problem(with: email) == nil,
           let user = try services.storage.users.user(normalizedEmail: EmailAddress.normalize(email)),
           !user.emailConfirmed {
            do {
                if case .limited = try ConfirmationMailer(services: services).send(to: user, now: context.now) {
                    context.services.log.info("confirmation email for user \(user.id) not sent: hourly limit reached")
                }
            } catch {
                context.services.log.error("resending the confirmation email for user \(user.id) failed: \(error)")
            }
        }
        context.flash(.info, .confirmationSent)
        return context.redirect("/Login")
    }
}
