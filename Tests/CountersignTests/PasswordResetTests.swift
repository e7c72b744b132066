import Foundation
import Testing
import Web
@testable import Countersign

/// Forgotten passwords in-process (CONTRACT.md §7): the email link, the SMS code, and both
/// together when two-factor is on.
@Suite struct PasswordResetTests {
    static let newPassword = "brand-New-password-77"

    /// The path and query of the newest reset link mailed to `address`.
    static func resetLink(_ app: TestApp, to address: String = "ada@example.com") throws -> (path: String, query: String) {
        let mail = try #require(try app.emails().last { ($0["subject"] as? String)?.hasPrefix("Reset your password") == true && $0["to"] as? String == address })
        let text = try #require(mail["text"] as? String)
        let start = try #require(text.range(of: "https://example.com/Account/ResetPassword?"))
        let url = try #require(URLComponents(string: String(text[start.lowerBound...].prefix { !$0.isWhitespace })))
        return (url.path, url.percentEncodedQuery ?? "")
    }

    /// The antiforgery token of a page that needs its query string.
    static func token(_ app: TestApp, _ query: String, page: String = "/Account/ResetPassword") throws -> String {
        let response = app.get(page, query: query)
        try #require(response.status == 200, "GET \(page)?\(query) answered \(response.status)")
        return try #require(TestApp.antiforgeryToken(in: response))
    }

    static func fields(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map {
            let pair = $0.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            return (pair[0], pair.count > 1 ? pair[1] : "")
        }
    }

    @discardableResult
    func forgot(_ app: TestApp, email: String = "ada@example.com", method: String = "email") throws -> Response {
        try app.post("/Account/ForgotPassword", [("Email", email), ("Method", method)])
    }

    @Test func theAnswerIsTheSameForUnknownAddressesAndNothingIsSent() throws {
        let app = try TestApp.withSms()
        try app.signedInUser()
        try app.logOut()
        let mails = try app.emails().count
        let known = try forgot(app)
        let unknown = try forgot(app, email: "nobody@example.com")
        #expect(known.status == 303 && unknown.status == 303)
        #expect(known.header("Location") == unknown.header("Location"))
        #expect(try app.emails().count == mails + 1)
        let smsKnown = try forgot(app, method: "sms")
        let smsUnknown = try forgot(app, email: "nobody@example.com", method: "sms")
        #expect(smsKnown.header("Location") == smsUnknown.header("Location"))
        // The phone of this account is not verified: no text.
        #expect(try app.texts().isEmpty)
    }

    @Test func aLinkResetsOnceEndsSignInsClearsLockoutAndSendsANotice() throws {
        let app = try TestApp.withSms("[lockout]\nmax_failures = 2\n")
        try app.signedInUser()
        try app.logOut()
        try app.logIn(password: "wrong-wrong-wrong")
        try app.logIn(password: "wrong-wrong-wrong")
        #expect(try app.user().lockoutEnd != nil)
        try forgot(app)
        let link = try Self.resetLink(app)
        #expect(app.get(link.path, query: link.query).status == 200)
        let fields = Self.fields(link.query) + [("NewPassword", Self.newPassword), ("ConfirmPassword", Self.newPassword)]
        let mismatch = try app.post("/Account/ResetPassword", Self.fields(link.query) + [("NewPassword", Self.newPassword), ("ConfirmPassword", "x")],
                                    token: .given(try Self.token(app, link.query)))
        #expect(mismatch.status == 422)
        let mails = try app.emails().count
        let reset = try app.post("/Account/ResetPassword", fields, token: .given(try Self.token(app, link.query)))
        #expect(reset.status == 303)
        #expect(reset.header("Location") == "/Account/ResetPasswordConfirmation")
        #expect(try app.user().lockoutEnd == nil)
        #expect(try app.emails().count == mails + 1)
        #expect(try app.logIn(password: Self.newPassword).status == 303)
        // Used twice: the stamp changed, the link is dead.
        #expect(app.get(link.path, query: link.query).status == 400)
        let token = try app.antiforgeryToken(on: "/Account/ForgotPassword")
        #expect(try app.post("/Account/ResetPassword", fields, token: .given(token)).status == 400)
    }

    @Test func aLinkExpiresAfterResetLifetime() throws {
        let app = try TestApp.withSms("[passwords]\nreset_lifetime = 30m\n")
        try app.signedInUser()
        try forgot(app)
        let link = try Self.resetLink(app)
        app.clock.advance(by: 29 * 60)
        #expect(app.get(link.path, query: link.query).status == 200)
        app.clock.advance(by: 61)
        #expect(app.get(link.path, query: link.query).status == 400)
        #expect(app.get("/Account/ResetPassword", query: "UserId=x&Token=y").status == 400)
    }

    @Test func anSmsCodeResetsWhenTwoFactorIsOff() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        try app.logOut()
        let answer = try forgot(app, method: "sms")
        #expect(answer.header("Location") == "/Account/ForgotPasswordConfirmation?Method=sms")
        let page = app.get("/Account/ForgotPasswordConfirmation", query: "Method=sms")
        #expect(page.text.contains("value=\"ada@example.com\""))
        #expect(page.text.contains("autocomplete=\"one-time-code\""))
        let code = try app.lastCode()
        let wrong = try app.post("/Account/ResetPassword", [("Email", "ada@example.com"), ("Code", code == "000000" ? "111111" : "000000"),
                                                            ("NewPassword", Self.newPassword), ("ConfirmPassword", Self.newPassword)],
                                 token: .given(try Self.token(app, "Method=sms", page: "/Account/ForgotPasswordConfirmation")))
        #expect(wrong.status == 422)
        let right = try app.post("/Account/ResetPassword", [("Email", "ada@example.com"), ("Code", code),
                                                            ("NewPassword", Self.newPassword), ("ConfirmPassword", Self.newPassword)],
                                 token: .given(try Self.token(app, "Method=sms", page: "/Account/ForgotPasswordConfirmation")))
        #expect(right.status == 303)
        #expect(try app.logIn(password: Self.newPassword).status == 303)
        // Replayed: refused.
        try app.logOut()
        let replay = try app.post("/Account/ResetPassword", [("Email", "ada@example.com"), ("Code", code),
                                                             ("NewPassword", "third-Password-333"), ("ConfirmPassword", "third-Password-333")],
                                  token: .given(try Self.token(app, "Method=sms", page: "/Account/ForgotPasswordConfirmation")))
        #expect(replay.status == 422)
    }

    @Test func withTwoFactorOnOneChannelAloneIsRefused() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        let codes = try app.enableTwoFactor()
        try app.logOut()
        // The SMS code alone: refused, and not spent.
        try forgot(app, method: "sms")
        let code = try app.lastCode()
        let smsOnly = try app.post("/Account/ResetPassword", [("Email", "ada@example.com"), ("Code", code),
                                                              ("NewPassword", Self.newPassword), ("ConfirmPassword", Self.newPassword)],
                                   token: .given(try Self.token(app, "Method=sms", page: "/Account/ForgotPasswordConfirmation")))
        #expect(smsOnly.status == 422)
        #expect(smsOnly.text.contains("a code alone is not enough"))
        // The link alone: refused.
        let link = try Self.resetLink(app)
        let linkOnly = try app.post("/Account/ResetPassword", Self.fields(link.query) + [("NewPassword", Self.newPassword),
                                                                                        ("ConfirmPassword", Self.newPassword)],
                                    token: .given(try Self.token(app, link.query)))
        #expect(linkOnly.status == 422)
        #expect(try app.logIn(password: Self.newPassword).status == 422)
        // The link and the code: accepted; two-factor stays on.
        let both = try app.post("/Account/ResetPassword", Self.fields(link.query) + [("Code", code), ("NewPassword", Self.newPassword),
                                                                                    ("ConfirmPassword", Self.newPassword)],
                                token: .given(try Self.token(app, link.query)))
        #expect(both.status == 303)
        #expect(try app.user().twoFactorEnabled)
        #expect(try app.logIn(password: Self.newPassword).header("Location")?.hasPrefix("/Account/LoginWith2fa") == true)
        _ = codes
    }

    @Test func withTwoFactorOnTheLinkAndARecoveryCodeWork() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        let codes = try app.enableTwoFactor()
        try app.logOut()
        try forgot(app)
        let link = try Self.resetLink(app)
        let sent = try app.post("/Account/ResetPassword", Self.fields(link.query) + [("SendCode", "1")], token: .given(try Self.token(app, link.query)))
        #expect(sent.status == 200)
        let reset = try app.post("/Account/ResetPassword", Self.fields(link.query) + [("Code", codes[2]), ("NewPassword", Self.newPassword),
                                                                                     ("ConfirmPassword", Self.newPassword)],
                                 token: .given(try Self.token(app, link.query)))
        #expect(reset.status == 303)
        #expect(try app.services.storage.recoveryCodes.count(userId: app.user().id) == codes.count - 1)
    }
}
