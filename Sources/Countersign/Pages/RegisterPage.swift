import Crypto
import FoundationEssentials
import Phone
import Storage
import Web

/// GET/POST `/Register`: create an account with name, email, phone and password, then send the
/// confirmation link.
struct RegisterPage {
    static let title = "Register"

    static func get(_ context: RequestContext) throws -> Response {
        try render(RegisterForm(), errors: [:], status: 200, context: context)
    }

    static func post(_ context: RequestContext) throws -> Response {
        let services = context.services
        try LookupLimit.consume(context)
        let form = RegisterForm(context.form)
        let (errors, validated) = form.validate(services: services)
        guard let validated else { return try render(form, errors: errors, status: 422, context: context) }

        let normalizedEmail = EmailAddress.normalize(form.email)
        let taken = ["Email": "Email '\(form.email)' is already taken."]
        if services.settings.email.requireConfirmed {
            // An unconfirmed account past its lifetime no longer holds the address, even before
            // maintenance has swept it away.
            try services.storage.registrations.deleteUnconfirmed(
                registeredBefore: context.now.addingTimeInterval(-services.settings.email.unconfirmedLifetime), normalizedEmail: normalizedEmail)
        }
        if try services.storage.users.user(normalizedEmail: normalizedEmail) != nil {
            return try render(form, errors: taken, status: 422, context: context)
        }
        let user = UserRecord(
            id: Guid.random(using: services.random),
            userName: form.email, normalizedUserName: normalizedEmail,
            email: form.email, normalizedEmail: normalizedEmail,
            emailConfirmed: false,
            passwordHash: try services.passwordHasher.hash(form.password),
            securityStamp: SecurityStamp.generate(random: services.random),
            concurrencyStamp: Guid.random(using: services.random),
            phoneNumber: validated.phone.e164, phoneNumberConfirmed: false,
            twoFactorEnabled: false, lockoutEnd: nil, lockoutEnabled: true, accessFailedCount: 0,
            firstName: form.firstName, lastName: form.lastName.isEmpty ? nil : form.lastName
        )
        do {
            try services.storage.transaction {
                try services.storage.users.insert(user)
                try services.storage.registrations.recordRegistration(userId: user.id, at: context.now)
            }
        } catch StorageError.duplicateEmail {
            // Another worker registered the same address a moment ago: the database's unique
            // index decided, and this request gets the same answer as if it had come second.
            return try render(form, errors: taken, status: 422, context: context)
        }
        try services.storage.events.append(SecurityEvent(time: context.now, kind: .registered, userId: user.id, ipAddress: context.clientAddress, phoneNumber: user.phoneNumber.map(EventNumber.mask)))
        do {
            _ = try ConfirmationMailer(services: services).send(to: user, now: context.now)
        } catch {
            context.services.log.error("sending the confirmation email for user \(user.id) failed: \(error)")
            context.flash(.error, .confirmationNotSent)
        }
        return context.redirect("/RegistrationSuccessful")
    }

    private static func render(_ form: RegisterForm, errors: [String: String], status: Int, context: RequestContext) throws -> Response {
        try context.services.pages.page("register", title: title, form.templateValues(errors: errors), status: status, context: context)
    }
}
