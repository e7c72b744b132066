import FoundationEssentials
import Messaging
import Storage
import Web

/// Short emails to the owner after a security-relevant change (CONTRACT.md §7 "Notices"): what
/// changed, when, from which client address, and what to do if it was not them. Never a code or
/// a link that signs in. A notice that cannot be sent is logged, never an error for the request:
/// the change itself has happened.
enum SecurityNotice {
    case passwordChanged
    case passwordReset
    case phoneNumberChanged
    case phoneNumberRemoved
    case twoFactorDisabled
    case recoveryCodeUsed
    case accountDeleted

    var subject: String {
        switch self {
        case .passwordChanged: "Your password was changed"
        case .passwordReset: "Your password was reset"
        case .phoneNumberChanged: "Your phone number was changed"
        case .phoneNumberRemoved: "Your phone number was removed"
        case .twoFactorDisabled: "Two-factor sign-in was turned off"
        case .recoveryCodeUsed: "A recovery code was used to sign in"
        case .accountDeleted: "Your account was deleted"
        }
    }

    var what: String {
        switch self {
        case .passwordChanged: "The password of your account was changed."
        case .passwordReset: "The password of your account was reset with the “Forgot your password?” page."
        case .phoneNumberChanged: "A new phone number was verified for your account, in place of the one you had."
        case .phoneNumberRemoved: "The phone number was removed from your account, and two-factor sign-in with it."
        case .twoFactorDisabled: "Two-factor sign-in was turned off for your account."
        case .recoveryCodeUsed: "One of your recovery codes was used to sign in to your account. It cannot be used again."
        case .accountDeleted: "Your account and the data stored with it were deleted."
        }
    }

    var advice: String {
        switch self {
        case .accountDeleted: "If you did not do this, please contact us."
        default: "If this was you, there is nothing to do. If it was not, reset your password at once with “Forgot your password?” on the sign-in page, and check your account."
        }
    }

    /// Sends the notice to `user.email`; failures are logged.
    func send(to user: UserRecord, context: RequestContext) {
        let services = context.services
        let values: [String: TemplateValue] = [
            "appName": .string(services.settings.server.appName),
            "firstName": .string(user.firstName),
            "what": .string(what),
            "time": .string(Self.format(context.now)),
            "clientAddress": .string(context.clientAddress),
            "advice": .string(advice),
        ]
        do {
            try services.email.send(EmailMessage(
                to: user.email,
                subject: "\(subject) – \(services.settings.server.appName)",
                text: try services.templates.renderText("email-notice", values),
                html: try services.templates.render("email-notice", values)
            ))
        } catch {
            context.services.log.error("the \(self) notice to user \(user.id) could not be sent: \(error)")
        }
    }

    /// `2026-12-06 02:41 UTC`: unambiguous for every reader.
    static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        // Civil-from-days (Howard Hinnant's algorithm), so no calendar or locale is involved.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(rest / 3600)):\(two(rest % 3600 / 60)) UTC"
    }
}
