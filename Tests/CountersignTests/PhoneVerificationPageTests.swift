import Foundation
import Testing
import Web
@testable import Countersign

/// The phone-verification pages in-process: send a code, enter it wrong and right, resend, and
/// what a refused number, a limit or a failing provider look like to the visitor.
@Suite struct PhoneVerificationPageTests {
    static let number = "+12015550123"

    /// A signed-in user whose texts go to `sms.jsonl` (or to `sms` settings given in `extra`).
    static func app(sms: String = "[sms]\nprovider = file\npath = sms.jsonl\n") throws -> TestApp {
        let app = try TestApp(extra: sms)
        try app.signedInUser()
        return app
    }

    /// Every text the `file` provider wrote.
    static func texts(_ app: TestApp) throws -> [[String: Any]] {
        let path = app.folder + "/sms.jsonl"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The six-digit code in the newest text.
    static func lastCode(_ app: TestApp) throws -> String {
        let body = try #require(try texts(app).last?["body"] as? String)
        let match = try #require(body.firstMatch(of: /\d{6}/))
        return String(match.output)
    }

    static func sendCode(_ app: TestApp, to number: String = number) throws -> Response {
        try app.post("/Account/SendPhoneVerificationCode", [("PhoneNumber", number)], formPage: "/Account/ConfirmPhoneNumber")
    }

    @Test func sendWrongCodeThenRightCode() throws {
        let app = try Self.app()
        let confirm = app.get("/Account/ConfirmPhoneNumber")
        #expect(confirm.status == 200)
        #expect(confirm.text.contains("value=\"\(Self.number)\""))

        let sent = try Self.sendCode(app)
        #expect(sent.status == 303)
        #expect(sent.header("Location") == "/Account/VerifyPhoneNumber")
        #expect(try Self.texts(app).map { $0["to"] as? String } == [Self.number])

        let form = app.get("/Account/VerifyPhoneNumber")
        #expect(form.status == 200)
        #expect(form.text.contains(FlashText.codeSent.text))
        #expect(form.text.contains("0123") && !form.text.contains(Self.number))

        let code = try Self.lastCode(app)
        let wrong = try app.post("/Account/VerifyPhoneNumber", [("Token", code == "000000" ? "111111" : "000000")])
        #expect(wrong.status == 422)
        #expect(wrong.text.contains(VerifyPhoneNumberPage.wrongCode))

        let oldSession = app.cookies["Countersign.Session"]
        let right = try app.post("/Account/VerifyPhoneNumber", [("Token", code)])
        #expect(right.status == 303)
        #expect(right.header("Location") == "/Account/PhoneVerificationSuccessful")
        // The new security stamp ended the old sign-in; this browser got a fresh one.
        #expect(app.cookies["Countersign.Session"] != oldSession)
        #expect(app.get("/Account/PhoneVerificationSuccessful").status == 200)
        let user = try #require(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM"))
        #expect(user.phoneNumberConfirmed && user.phoneNumber == Self.number)
    }

    @Test(arguments: [("", "The Phone Number field is required."), ("12", nil), ("+44 20 7946 0958", nil)])
    func aMissingOrRefusedNumberIs422WithTheForm(number: String, message: String?) throws {
        let app = try Self.app()
        let response = try Self.sendCode(app, to: number)
        #expect(response.status == 422)
        #expect(response.text.contains("name=\"PhoneNumber\""))
        if let message { #expect(response.text.contains(message)) }
        #expect(try Self.texts(app).isEmpty)
    }

    @Test func resendWaitsForTheCooldown() throws {
        let app = try Self.app()
        #expect(try Self.sendCode(app).status == 303)
        let early = try app.post("/Account/ResendPhoneVerificationCode", [], formPage: "/Account/VerifyPhoneNumber")
        #expect(early.status == 429)
        #expect(early.header("Retry-After") == "60")
        #expect(try Self.texts(app).count == 1)

        app.clock.advance(by: 60)
        let resent = try app.post("/Account/ResendPhoneVerificationCode", [], formPage: "/Account/VerifyPhoneNumber")
        #expect(resent.status == 303)
        #expect(resent.header("Location") == "/Account/VerifyPhoneNumber")
        #expect(try Self.texts(app).count == 2)
    }

    @Test func withNothingPendingTheCodePagesSendBackToTheNumberForm() throws {
        let app = try Self.app()
        let verify = app.get("/Account/VerifyPhoneNumber")
        #expect(verify.status == 303)
        #expect(verify.header("Location") == "/Account/ConfirmPhoneNumber")
        let token = try app.antiforgeryToken(on: "/Account/ConfirmPhoneNumber")
        let resend = try app.post("/Account/ResendPhoneVerificationCode", [], token: .given(token))
        #expect(resend.status == 303)
        #expect(resend.header("Location") == "/Account/ConfirmPhoneNumber")
    }

    @Test func aFailingProviderIs503AndLogged() throws {
        let app = try Self.app(sms: "[sms]\nprovider = command\ncommand = /bin/false\n")
        let response = try Self.sendCode(app)
        #expect(response.status == 503)
        #expect(response.text.contains("name=\"PhoneNumber\""))
        #expect(app.logged.contains { $0.contains("error: phone verification for user ") })
    }

    @Test func signedOutVisitorsAreSentToSignIn() throws {
        let app = try TestApp()
        let response = app.send("POST", "/Account/SendPhoneVerificationCode", body: Array("PhoneNumber=%2B12015550123".utf8),
                                headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(response.status == 303)
        #expect(returnURL(inLoginRedirect: response.header("Location")) == "/Account/ConfirmPhoneNumber")
    }
}
