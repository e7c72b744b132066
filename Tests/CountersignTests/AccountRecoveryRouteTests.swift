import Testing
import Web
@testable import Countersign

/// The routes of issue 7 as the pipeline sees them: methods, the sign-in of `[auth]` routes (with
/// the page that holds each form as `ReturnUrl`), antiforgery, and pages that anyone may open.
@Suite struct AccountRecoveryRouteTests {
    @Test(arguments: [
        ("GET", "/Account/TwoFactorAuthentication", "/Account/TwoFactorAuthentication"),
        ("POST", "/Account/EnableTwoFactor", "/Account/TwoFactorAuthentication"),
        ("POST", "/Account/DisableTwoFactor", "/Account/TwoFactorAuthentication"),
        ("POST", "/Account/GenerateRecoveryCodes", "/Account/TwoFactorAuthentication"),
        ("POST", "/Account/RemovePhoneNumber", "/Account/ConfirmPhoneNumber"),
        ("GET", "/Account/PersonalData", "/Account/PersonalData"),
        ("POST", "/Account/DownloadPersonalData", "/Account/PersonalData"),
        ("POST", "/Account/DeletePersonalData", "/Account/PersonalData"),
    ])
    func authRoutesSendStrangersToLogin(_ method: String, _ path: String, _ returnTo: String) throws {
        let app = try TestApp()
        let response = app.send(method, path)
        #expect(response.status == 303)
        #expect(returnURL(inLoginRedirect: response.header("Location")) == returnTo)
    }

    @Test(arguments: ["/Account/ForgotPassword", "/Account/ForgotPasswordConfirmation", "/Account/ResetPassword",
                      "/Account/ResetPasswordConfirmation"])
    func recoveryPagesAreOpenToAnyone(_ path: String) throws {
        let app = try TestApp()
        let response = app.get(path)
        #expect(response.status == 200)
        #expect(!response.text.contains("<input id=\"NewPassword\"") || response.text.contains("autocomplete=\"new-password\""))
    }

    @Test(arguments: [
        ("GET", "/Account/EnableTwoFactor", "POST"), ("GET", "/Account/ResendTwoFactorCode", "POST"),
        ("PUT", "/Account/LoginWith2fa", "GET, HEAD, POST"), ("DELETE", "/Account/ResetPassword", "GET, HEAD, POST"),
        ("GET", "/Account/DeletePersonalData", "POST"), ("POST", "/Account/PersonalData", "GET, HEAD"),
    ])
    func wrongMethodIs405(_ method: String, _ path: String, _ allow: String) throws {
        let app = try TestApp()
        let response = app.send(method, path)
        #expect(response.status == 405)
        #expect(response.header("Allow") == allow)
    }

    @Test(arguments: ["/Account/ForgotPassword", "/Account/ResetPassword", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode",
                      "/Account/ResendTwoFactorCode"])
    func postsWithoutAntiforgeryAre400(_ path: String) throws {
        let app = try TestApp()
        let response = try app.post(path, [("Email", "ada@example.com")], token: .none)
        #expect(response.status == 400)
    }

    @Test func everyNewFormFieldHasALabel() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        for page in ["/Account/TwoFactorAuthentication", "/Account/PersonalData", "/Account/ConfirmPhoneNumber", "/Account/ChangePassword"] {
            let html = app.get(page).text
            for id in Self.inputIDs(html) {
                #expect(html.contains("<label for=\"\(id)\""), "\(page): #\(id) has no label")
            }
        }
        try app.logOut()
        for page in ["/Account/ForgotPassword", "/Account/ResetPassword", "/Account/Login", "/Account/Register"] {
            let html = app.get(page).text
            for id in Self.inputIDs(html) {
                #expect(html.contains("<label for=\"\(id)\""), "\(page): #\(id) has no label")
            }
        }
    }

    /// The ids of visible inputs (hidden fields need no label).
    static func inputIDs(_ html: String) -> [String] {
        html.components(separatedBy: "<input ").dropFirst().compactMap { tag in
            let attributes = tag.prefix { $0 != ">" }
            guard !attributes.contains("type=\"hidden\""), let start = attributes.range(of: "id=\"") else { return nil }
            return String(attributes[start.upperBound...].prefix { $0 != "\"" })
        }
    }
}
