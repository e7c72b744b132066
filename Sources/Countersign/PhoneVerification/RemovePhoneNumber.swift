import Crypto
import Phone
import Storage
import Web

/// POST `/RemovePhoneNumber` [auth]: after the current password, the phone goes (`PhoneNumber`
/// empty, not confirmed), two-factor sign-in with it (and its recovery codes and pending codes),
/// the security stamp changes (other sign-ins end, this one is renewed), and the owner gets a
/// notice.
enum RemovePhoneNumber {
    static func post(_ context: RequestContext) throws -> Response {
        guard let signIn = context.signIn else { throw HTTPError(401, message: "Please sign in.") }
        let services = context.services
        let user = signIn.user
        if let problem = try CurrentPasswordCheck.problem(context.field("CurrentPassword") ?? "", context: context) {
            return try ConfirmPhoneNumberPage.render(number: user.phoneNumber ?? "", error: nil, removeError: problem, status: 422, context: context)
        }
        try services.storage.transaction {
            try services.storage.users.removePhoneNumber(userId: user.id, newSecurityStamp: SecurityStamp.generate(random: services.random))
            try services.storage.recoveryCodes.deleteAll(userId: user.id)
            for purpose in VerificationPurpose.allCases {
                try services.phoneVerifier.cancel(userId: user.id, purpose: purpose)
            }
        }
        try AccountChange.restartSession(signIn, context: context)
        try services.storage.events.append(SecurityEvent(time: context.now, kind: "phone-removed", userId: user.id,
                                                         ipAddress: context.clientAddress, detail: user.twoFactorEnabled ? "two-factor turned off" : nil))
        SecurityNotice.phoneNumberRemoved.send(to: user, context: context)
        context.flash(.success, .phoneRemoved)
        return context.redirect("/Manage")
    }
}
