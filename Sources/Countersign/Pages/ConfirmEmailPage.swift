import Storage
import Web

/// GET `/ConfirmEmail?UserId=&Token=`: the link from the confirmation email. Confirming twice is
/// harmless; an invalid or expired link gets 400 and a form to send a new one.
enum ConfirmEmailPage {
    static func get(_ context: RequestContext) throws -> Response {
        let services = context.services
        guard let userId = context.field("UserId"), let token = context.field("Token"),
              let user = try services.storage.users.user(id: userId) else {
            return try failure(expired: false, context: context)
        }
        switch services.confirmationLinks.check(token, for: user, now: context.now) {
        case .valid:
            if !user.emailConfirmed {
                try services.storage.users.markEmailConfirmed(userId: user.id)
                try services.storage.events.append(SecurityEvent(time: context.now, kind: .emailConfirmed, userId: user.id, ipAddress: context.clientAddress))
            }
            return try services.pages.page("confirm-email", title: "Email confirmed", ["confirmed": true], context: context)
        case .expired:
            return try failure(expired: true, context: context)
        case .invalid:
            return try failure(expired: false, context: context)
        }
    }

    private static func failure(expired: Bool, context: RequestContext) throws -> Response {
        try context.services.pages.page("confirm-email", title: "Confirmation link not valid", ["expired": .bool(expired), "invalid": .bool(!expired)], status: 400, context: context)
    }
}
