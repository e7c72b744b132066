import Crypto
import Storage
import Web

/// GET/POST `/ChangePassword` [auth]: a new password ends every other sign-in (new security
/// stamp; this browser gets a new session id).
enum ChangePasswordPage {
    static let title = "Change password"

    static func get(_ context: RequestContext) throws -> Response {
        try render(errors: [:], status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        guard let signIn = context.signIn else { throw HTTPError(401, message: "Please sign in.") }
        let services = context.services
        let user = signIn.user
        let current = context.field("CurrentPassword") ?? ""
        let new = context.field("NewPassword") ?? ""
        let confirm = context.field("ConfirmPassword") ?? ""

        var errors: [String: String] = [:]
        if current.isEmpty { errors["CurrentPassword"] = "The Current password field is required." }
        if new.isEmpty {
            errors["NewPassword"] = "The New password field is required."
        } else if let problem = services.passwordPolicy.problem(with: new, userInputs: [user.email, user.firstName, user.lastName ?? ""]) {
            errors["NewPassword"] = problem
        }
        if confirm != new { errors["ConfirmPassword"] = "The new password and confirmation password do not match." }
        if errors["CurrentPassword"] == nil, case .failed = services.passwordHasher.verify(current, against: user.passwordHash) {
            errors["CurrentPassword"] = "Incorrect password."
        }
        guard errors.isEmpty else { return try render(errors: errors, status: 422, context: context) }

        let stamp = SecurityStamp.generate(random: services.random)
        try services.storage.users.changePassword(userId: user.id, hash: try services.passwordHasher.hash(new), newSecurityStamp: stamp)
        try services.sessions.endAll(userId: user.id)
        var updated = user
        updated.securityStamp = stamp
        let (newSignIn, cookie) = try services.sessions.start(for: updated, persistent: signIn.session.persistent, now: context.now)
        context.addCookie(cookie)
        context.replaceSignIn(newSignIn)
        try services.storage.events.append(SecurityEvent(time: context.now, kind: .passwordChanged, userId: user.id, ipAddress: context.clientAddress))
        context.flash(.success, .passwordChanged)
        return context.redirect("/Manage")
    }

    private static func render(errors: [String: String], status: Int, context: RequestContext) throws -> Response {
        try context.services.pages.page("change-password", title: title, ["errors": .context(errors.mapValues { .string($0) })], status: status, context: context)
    }
}
