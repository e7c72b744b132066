import Crypto
import FoundationEssentials
import Phone
import Storage
import Web

/// GET/POST `/ResetPassword`: a new password, proven by the emailed link (`UserId`, `Token`) or
/// by a texted code (`Email`, `Code`); with two-factor on, by the link *and* a code to the
/// verified phone or a recovery code (`Code`). The reset gives a new security stamp (every
/// sign-in, link and code of the old one ends), clears a lockout, keeps two-factor as it is, and
/// sends a notice.
enum ResetPasswordPage {
    static let title = "Reset password"
    static let wrongCode = "Either the code has expired or you entered an invalid code."
    static let order = ["Email", "Code", "NewPassword", "ConfirmPassword"]

    /// Thrown inside the code's transaction to undo spending it: the code was right, but alone
    /// it is not enough for this account.
    private struct NeedsLink: Error {}

    /// The password changed since the link was checked (a parallel request used it first).
    private struct AlreadyUsed: Error {}

    /// Replaces the password only while the stamp is still the one the link or code was bound
    /// to, in one transaction: of parallel requests with one link exactly one resets.
    private static func reset(_ user: UserRecord, hash: String, stamp: String, services: Services) throws {
        try services.storage.transaction {
            guard let current = try services.storage.users.user(id: user.id), current.securityStamp == user.securityStamp else {
                throw AlreadyUsed()
            }
            try services.storage.users.resetPassword(userId: user.id, hash: hash, newSecurityStamp: stamp)
        }
    }

    static func get(_ context: RequestContext) throws -> Response {
        if context.field("UserId") != nil || context.field("Token") != nil {
            guard let user = try linkUser(context) else { return try invalidLink(context) }
            return try renderLinkForm(user: user, errors: [:], codeSent: false, status: 200, context: context)
        }
        return try renderCodeForm(email: ResetEmailCookie(services: context.services).email(context.request) ?? "", errors: [:],
                                  status: 200, page: "reset-password", context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        if context.field("UserId") != nil || context.field("Token") != nil {
            return try postWithLink(context)
        }
        return try postWithCode(context)
    }

    // MARK: The emailed link (and, with two-factor on, a code)

    private static func postWithLink(_ context: RequestContext) throws -> Response {
        let services = context.services
        guard let user = try linkUser(context) else { return try invalidLink(context) }
        if user.twoFactorEnabled && context.field("SendCode") != nil {
            if case .limited(let retryAt, _)? = sendCode(to: user, context: context) {
                throw HTTPError.tooManyRequests(retryAfter: retryAt.timeIntervalSince(context.now), what: "A code was sent a moment ago, or too many were requested.")
            }
            return try renderLinkForm(user: user, errors: [:], codeSent: true, status: 200, context: context)
        }
        var errors = passwordErrors(user: user, context: context)
        let code = context.field("Code") ?? ""
        if user.twoFactorEnabled && RecoveryCodes.normalize(code).isEmpty {
            errors["Code"] = "Two-factor sign-in is on: enter a code we texted to your phone, or a recovery code."
        }
        guard errors.isEmpty else { return try renderLinkForm(user: user, errors: errors, codeSent: false, status: 422, context: context) }
        let hash = try services.passwordHasher.hash(context.field("NewPassword") ?? "")
        let stamp = SecurityStamp.generate(random: services.random)
        guard user.twoFactorEnabled else {
            do { try reset(user, hash: hash, stamp: stamp, services: services) } catch is AlreadyUsed { return try invalidLink(context) }
            return try finish(user, how: "email link", context: context)
        }
        if RecoveryCodes.looksLikeRecoveryCode(code) {
            // Spending the code and replacing the password commit together, or neither does.
            let redeemed: Bool
            do {
                redeemed = try services.storage.transaction { () throws -> Bool in
                    guard try RecoveryCodes(services: services).redeem(code, userId: user.id) else { return false }
                    try reset(user, hash: hash, stamp: stamp, services: services)
                    return true
                }
            } catch is AlreadyUsed {
                return try invalidLink(context)
            }
            guard redeemed else {
                try FailedSignIn.record(user, services: services, now: context.now, clientAddress: context.clientAddress)
                return try renderLinkForm(user: user, errors: ["Code": wrongCode], codeSent: false, status: 422, context: context)
            }
            try services.storage.events.append(SecurityEvent(time: context.now, kind: "recovery-code-used", userId: user.id,
                                                             ipAddress: context.clientAddress, detail: "password reset"))
            SecurityNotice.recoveryCodeUsed.send(to: user, context: context)
            return try finish(user, how: "email link and recovery code", context: context)
        }
        do {
            try services.phoneVerifier.verify(code: code, user: user, clientAddress: context.clientAddress, purpose: .passwordReset) { _ in
                try reset(user, hash: hash, stamp: stamp, services: services)
            }
        } catch .storage(let inner) where inner is AlreadyUsed {
            return try invalidLink(context)
        } catch {
            return try renderLinkForm(user: user, errors: ["Code": codeMessage(error, user: user, context: context)], codeSent: false, status: 422, context: context)
        }
        return try finish(user, how: "email link and sms code", context: context)
    }

    /// The user of a valid, unexpired link; nil otherwise.
    private static func linkUser(_ context: RequestContext) throws -> UserRecord? {
        guard let userId = context.field("UserId"), let token = context.field("Token"),
              let user = try context.services.storage.users.user(id: userId),
              context.services.resetLinks.check(token, for: user, now: context.now) == .valid else { return nil }
        return user
    }

    private static func invalidLink(_ context: RequestContext) throws -> Response {
        try context.services.pages.page("reset-password", title: "Reset link not valid", ["invalidLink": true], status: 400, context: context)
    }

    // MARK: The texted code alone (two-factor off)

    private static func postWithCode(_ context: RequestContext) throws -> Response {
        let services = context.services
        let email = context.field("Email")?.trimmingSpaces ?? ""
        let code = (context.field("Code") ?? "").filter { !$0.isWhitespace }
        let page = context.field("Page") == "confirmation" ? "forgot-password-confirmation" : "reset-password"
        let user = EmailAddress.problem(with: email) == nil ? try services.storage.users.user(normalizedEmail: EmailAddress.normalize(email)) : nil
        var errors = passwordErrors(user: user, context: context)
        if email.isEmpty { errors["Email"] = "The Email field is required." }
        if code.isEmpty { errors["Code"] = "The Code field is required." }
        guard errors.isEmpty else { return try renderCodeForm(email: email, errors: errors, status: 422, page: page, context: context) }
        // Hashed before the address is known to exist, so the answer takes as long either way.
        let hash = try services.passwordHasher.hash(context.field("NewPassword") ?? "")
        guard let user, services.settings.passwordReset.bySms else {
            return try renderCodeForm(email: email, errors: ["Code": wrongCode], status: 422, page: page, context: context)
        }
        let stamp = SecurityStamp.generate(random: services.random)
        do {
            try services.phoneVerifier.verify(code: code, user: user, clientAddress: context.clientAddress, purpose: .passwordReset) { _ in
                // Only someone holding the right code learns that this account needs more; the
                // code is given back (the transaction rolls back).
                if user.twoFactorEnabled { throw NeedsLink() }
                try reset(user, hash: hash, stamp: stamp, services: services)
            }
        } catch .storage(let inner) where inner is NeedsLink {
            return try renderCodeForm(email: email, errors: ["Code": "Two-factor sign-in is on for this account: a code alone is not enough. Open the link we emailed you, and enter this code there."],
                                      status: 422, page: page, context: context)
        } catch {
            return try renderCodeForm(email: email, errors: ["Code": codeMessage(error, user: user, context: context)], status: 422, page: page, context: context)
        }
        context.addCookie(try ResetEmailCookie(services: services).clear())
        return try finish(user, how: "sms code", context: context)
    }

    // MARK: Shared

    private static func passwordErrors(user: UserRecord?, context: RequestContext) -> [String: String] {
        let new = context.field("NewPassword") ?? ""
        var errors: [String: String] = [:]
        if new.isEmpty {
            errors["NewPassword"] = "The New password field is required."
        } else if let problem = context.services.passwordPolicy.problem(with: new, userInputs: [user?.email ?? "", user?.firstName ?? "", user?.lastName ?? ""]) {
            errors["NewPassword"] = problem
        }
        if (context.field("ConfirmPassword") ?? "") != new { errors["ConfirmPassword"] = "The new password and confirmation password do not match." }
        return errors
    }

    private static func codeMessage(_ error: PhoneVerificationError, user: UserRecord, context: RequestContext) -> String {
        switch error {
        case .burned: "Too many wrong codes. Ask for a new code."
        case .checkFailed(let failure): failure.userMessage
        case .storage(let inner):
            { context.services.log.error("password reset for user \(user.id): \(inner)"); return "Something went wrong on our side. Please try again." }()
        default: wrongCode
        }
    }

    /// After the new password is stored: every sign-in ends, the notice, the event.
    private static func finish(_ user: UserRecord, how: String, context: RequestContext) throws -> Response {
        let services = context.services
        try services.sessions.endAll(userId: user.id)
        if let signIn = context.signIn, signIn.user.id == user.id {
            context.addCookie(try services.sessions.end(signIn))
            context.forgetSignIn()
        }
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "password-reset", userId: user.id,
                                                         ipAddress: context.clientAddress, detail: how))
        SecurityNotice.passwordReset.send(to: user, context: context)
        return context.redirect("/ResetPasswordConfirmation")
    }

    /// A code to the verified number for a reset; nil when sent.
    private static func sendCode(to user: UserRecord, context: RequestContext) -> PhoneVerificationError? {
        guard user.phoneNumberConfirmed, let stored = user.phoneNumber,
              let number = try? context.services.settings.phone.parser.parse(stored) else { return .nothingPending }
        do {
            try context.services.phoneVerifier.send(to: number, user: user, clientAddress: context.clientAddress, purpose: .passwordReset)
            return nil
        } catch {
            context.services.log.info("password-reset code for user \(user.id) not sent: \(error)")
            return error
        }
    }

    static func renderLinkForm(user: UserRecord, errors: [String: String], codeSent: Bool, status: Int, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = [
            "byLink": true,
            "userId": .string(user.id),
            "token": .string(context.field("Token") ?? ""),
            "twoFactor": .bool(user.twoFactorEnabled),
            "codeSent": .bool(codeSent),
            "digits": .string(String(context.services.phoneSettings.codeLength)),
        ]
        if let phone = user.phoneNumber, let parsed = try? context.services.settings.phone.parser.parse(phone) {
            values["maskedNumber"] = .string(parsed.masked)
        }
        values.merge(FormErrors.values(errors, order: order)) { $1 }
        return try context.services.pages.page("reset-password", title: title, values, status: status, context: context)
    }

    static func renderCodeForm(email: String, errors: [String: String], status: Int, page: String, context: RequestContext) throws -> Response {
        var values: [String: TemplateValue] = [
            "byCode": true,
            "email": .string(email),
            "digits": .string(String(context.services.phoneSettings.codeLength)),
            "page": .string(page == "reset-password" ? "" : "confirmation"),
        ]
        values.merge(FormErrors.values(errors, order: order)) { $1 }
        return try context.services.pages.page(page, title: page == "reset-password" ? title : "Enter the code we texted you", values,
                                               status: status, context: context)
    }
}
