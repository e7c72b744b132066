import Foundation
import Storage
import Testing
import Timekeeping
import Web
@testable import Countersign

/// Everything that ends with time, driven by the manual clock: links, sign-ins, lockouts.
@Suite struct ExpiryTests {
    static let day: TimeInterval = 86_400

    @Test func theConfirmationLinkWorksUntilItsLifetimeEnds() throws {
        let app = try TestApp()
        let link = try app.register()
        app.clock.advance(by: Self.day - 1)
        #expect(app.get(link.path, query: link.query).status == 200)
    }

    @Test func theConfirmationLinkExpiresAfterEmailConfirmLifetime() throws {
        let app = try TestApp()
        let link = try app.register()
        app.clock.advance(by: Self.day + 1)
        let response = app.get(link.path, query: link.query)
        #expect(response.status == 400)
        #expect(response.text.contains("The link has expired."))
        #expect(response.text.contains("we will send you a new link"))
        #expect(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM")?.emailConfirmed == false)
    }

    @Test func theConfiguredConfirmLifetimeIsUsed() throws {
        let app = try TestApp(extra: "[email]\nconfirm_lifetime = 30m")
        let link = try app.register()
        app.clock.advance(by: 30 * 60 + 1)
        #expect(app.get(link.path, query: link.query).status == 400)
        let text = try app.emails().last?["text"] as? String
        #expect(text?.contains("The link works for 1 hour.") == true)
    }

    @Test func aNewLinkWorksAfterTheOldOneExpired() throws {
        let app = try TestApp()
        let old = try app.register()
        app.clock.advance(by: Self.day + 1)
        #expect(app.get(old.path, query: old.query).status == 400)
        #expect(try app.post("/Account/ResendConfirmationEmail", [("Email", "ada@example.com")], formPage: "/Account/Register").status == 303)
        let fresh = try app.confirmationLink(to: "ada@example.com")
        #expect(fresh.query != old.query)
        #expect(app.get(fresh.path, query: fresh.query).status == 200)
    }

    @Test(arguments: [
        ("UserId=&Token=", "empty"),
        ("Token=abc", "no user"),
        ("UserId=00000000-0000-0000-0000-000000000000&Token=AAAA", "unknown user"),
    ])
    func anInvalidLinkIs400(_ query: String, _ label: String) throws {
        let app = try TestApp()
        let response = app.get("/Account/ConfirmEmail", query: query)
        #expect(response.status == 400, "\(label)")
        #expect(response.text.contains("The link is not valid"))
    }

    @Test func aTamperedLinkIs400() throws {
        let app = try TestApp()
        let link = try app.register()
        let token = try #require(link.query.range(of: "Token="))
        var characters = Array(link.query)
        let middle = link.query.distance(from: link.query.startIndex, to: token.upperBound) + 20
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        #expect(app.get(link.path, query: String(characters)).status == 400)
        #expect(app.get(link.path, query: link.query).status == 200)
        let other = try app.register(email: "grace@example.com")
        // Ada's token with Grace's id.
        let adaToken = try #require(link.query.split(separator: "&").first { $0.hasPrefix("Token=") })
        let graceId = try #require(other.query.split(separator: "&").first { $0.hasPrefix("UserId=") })
        #expect(app.get(link.path, query: "\(graceId)&\(adaToken)").status == 400)
    }

    @Test func aSignInEndsAfterTheIdleTimeout() throws {
        let app = try TestApp()
        try app.signedInUser()
        app.clock.advance(by: 2 * 3600 + 1)
        let response = app.get("/Account/Manage")
        #expect(response.status == 303)
        #expect(returnURL(inLoginRedirect: response.header("Location")) == "/Account/Manage")
    }

    @Test func useKeepsASignInAlive() throws {
        let app = try TestApp()
        try app.signedInUser()
        for _ in 0..<4 {
            app.clock.advance(by: 2 * 3600 - 1)
            #expect(app.get("/Account/Manage").status == 200)
        }
    }

    @Test func aSignInEndsAtItsAbsoluteLifetimeHoweverBusy() throws {
        let app = try TestApp(extra: "[session]\nlifetime = 3h\nidle_timeout = 2h")
        try app.signedInUser()
        app.clock.advance(by: 3600 + 59 * 60)      // 1h59m
        #expect(app.get("/Account/Manage").status == 200)
        app.clock.advance(by: 3600)                // 2h59m
        #expect(app.get("/Account/Manage").status == 200)
        app.clock.advance(by: 60 + 1)              // 3h + 1s
        #expect(app.get("/Account/Manage").status == 303)
    }

    @Test func lockoutRefusesTheRightPasswordUntilLockoutDurationPassed() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures = 3\nduration = 5m")
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        for _ in 0..<3 {
            #expect(try app.logIn(password: "wrong-password-123").status == 422)
        }
        let locked = try app.logIn()
        #expect(locked.status == 422)
        #expect(locked.text.contains(LoginPage.failureMessage))
        #expect(app.cookies["Countersign.Session"] == nil)

        app.clock.advance(by: 5 * 60 - 1)
        #expect(try app.logIn().status == 422)
        app.clock.advance(by: 2)
        #expect(try app.logIn().status == 303)
    }

    @Test func afterALockoutTheCountStartsAgain() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures = 3\nduration = 5m")
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        for _ in 0..<3 { #expect(try app.logIn(password: "wrong-password-123").status == 422) }
        app.clock.advance(by: 5 * 60 + 1)
        // One more mistake after the lockout is one failure, not a new lockout.
        #expect(try app.logIn(password: "wrong-password-123").status == 422)
        #expect(try app.logIn().status == 303)
    }

    @Test func aRightPasswordResetsTheFailureCount() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures = 3")
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        for _ in 0..<2 { #expect(try app.logIn(password: "wrong-password-123").status == 422) }
        #expect(try app.logIn().status == 303)
        for _ in 0..<2 { #expect(try app.logIn(password: "wrong-password-123").status == 422) }
        #expect(try app.logIn().status == 303)
    }
}

/// Messages after a redirect travel in a signed cookie and are shown once.
@Suite struct FlashMessageTests {
    @Test func aFlashIsShownOnTheNextPageAndThenGone() throws {
        let app = try TestApp()
        let response = try app.post("/Account/ResendConfirmationEmail", [("Email", "nobody@example.com")], formPage: "/Account/Login")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/Login")
        #expect(app.cookies["Countersign.Flash"] != nil)

        let shown = app.get("/Account/Login")
        #expect(shown.text.contains(FlashText.confirmationSent.text))
        #expect(shown.headerValues("Set-Cookie").contains { $0.hasPrefix("Countersign.Flash=;") })
        #expect(app.cookies["Countersign.Flash"] == nil)

        let again = app.get("/Account/Login")
        #expect(!again.text.contains(FlashText.confirmationSent.text))
    }

    @Test func theSameAnswerWhetherOrNotTheAddressExists() throws {
        let app = try TestApp()
        try app.register(email: "ada@example.com")
        let known = try app.post("/Account/ResendConfirmationEmail", [("Email", "ada@example.com")], formPage: "/Account/Login")
        let unknown = try app.post("/Account/ResendConfirmationEmail", [("Email", "nobody@example.com")], formPage: "/Account/Login")
        #expect(known.status == unknown.status)
        #expect(known.header("Location") == unknown.header("Location"))
        #expect(try app.emails().count == 2)  // registration + resend, nothing for the unknown address
    }

    @Test func aFlashSurvivesARedirectUntilAPageShowsIt() throws {
        let app = try TestApp()
        try app.signedInUser()
        #expect(try app.post("/Account/Logout", [], formPage: "/Account/Manage").status == 303)
        // A redirect in between (Manage → Login) does not eat the message.
        #expect(app.get("/Account/Manage").status == 303)
        let login = app.get("/Account/Login")
        #expect(login.text.contains(FlashText.signedOut.text))
        #expect(!app.get("/Account/Login").text.contains(FlashText.signedOut.text))
    }

    @Test func aForgedFlashCookieShowsNothingAndIsCleared() throws {
        let app = try TestApp()
        app.cookies["Countersign.Flash"] = "forged"
        let page = app.get("/Account/Login")
        #expect(page.status == 200)
        #expect(!page.text.contains("class=\"flash"))
        #expect(app.cookies["Countersign.Flash"] == nil)
    }
}
