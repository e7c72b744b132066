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
        if errors["CurrentPassword"] == nil, let problem = try CurrentPasswordCheck.problem(current, context: context) {
            errors["CurrentPassword"] = problem
        }
        guard errors.isEmpty else { return try render(errors: errors, status: 422, context: context) }

        let stamp = SecurityStamp.generate(random: services.random)
        try services.storage.users.changePassword(userId: user.id, hash: try services.passwordHasher.hash(new), newSecurityStamp: stamp)
        try AccountChange.restartSession(signIn, context: context)
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "password-changed", userId: user.id, ipAddress: context.clientAddress, phoneNumber: nil, detail: nil))
        SecurityNotice.passwordChanged.send(to: user, context: context)
        context.flash(.success, .passwordChanged)
        return context.redirect("/Manage")
    }

    private static func render(errors: [String: String], status: Int, context: RequestContext) throws -> Response {
        try context.services.pages.page("change-password", title: title, FormErrors.values(errors, order: ["CurrentPassword", "NewPassword", "ConfirmPassword"]), status: status, context: context)
    }
}
