import Foundation
import Testing
import Web
@testable import Countersign

/// Register → confirmation email → ConfirmEmail → Login → Manage, and what goes wrong on the way.
@Suite struct AccountFlowTests {
    @Test func registerConfirmSignInAndManage() throws {
        let app = try TestApp()
        let link = try app.register(email: "Ada.Lovelace@Example.com")

        let mails = try app.emails()
        #expect(mails.count == 1)
        #expect(mails.first?["subject"] as? String == "Confirm your email for Countersign")
        #expect(link.path == "/Account/ConfirmEmail")

        let stored = try #require(try app.services.storage.users.user(normalizedEmail: "ADA.LOVELACE@EXAMPLE.COM"))
        #expect(stored.email == "Ada.Lovelace@Example.com")
        #expect(stored.userName == "Ada.Lovelace@Example.com")
        #expect(stored.normalizedUserName == "ADA.LOVELACE@EXAMPLE.COM")
        #expect(stored.phoneNumber == "+12015550123")
        #expect(!stored.emailConfirmed && !stored.phoneNumberConfirmed)
        #expect(stored.passwordHash.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))

        let success = app.get("/Account/RegistrationSuccessful")
        #expect(success.status == 200)

        let confirmed = app.get(link.path, query: link.query)
        #expect(confirmed.status == 200)
        #expect(confirmed.text.contains("Thank you for confirming your email"))
        #expect(try app.services.storage.users.user(id: stored.id)?.emailConfirmed == true)

        // Any case of the address signs in.
        let signIn = try app.logIn(email: "ADA.lovelace@example.COM")
        #expect(signIn.status == 303)
        #expect(signIn.header("Location") == "/Account/Manage")
        #expect(app.cookies["Countersign.Session"] != nil)

        let manage = app.get("/Account/Manage")
        #expect(manage.status == 200)
        #expect(manage.text.contains("Ada Lovelace"))
        #expect(manage.text.contains("Ada.Lovelace@Example.com"))
        #expect(manage.text.contains("+12015550123"))
        #expect(manage.text.contains("<span class=\"badge ok\">confirmed</span>"))
        #expect(manage.text.contains("Hello Ada!"))

        // The audit trail names each step with the kinds readers of the table know.
        let kinds = try app.services.storage.events.events(userId: stored.id, limit: 10).map(\.kind)
        #expect(Set(kinds) == ["registered", "confirmation-email-sent", "email-confirmed", "signed-in"])
        #expect(kinds.count == 4)
    }

    /// Ids and stamps come from the injected random source, so the same bytes give the same user.
    @Test func registrationTakesTheUserIdFromTheRandomSource() throws {
        let users = try (0..<2).map { _ in
            let app = try TestApp(random: CountingRandom())
            try app.register()
            return try #require(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM"))
        }
        #expect(users[0].id == users[1].id)
        #expect(users[0].concurrencyStamp == users[1].concurrencyStamp)
        #expect(users[0].id != users[0].concurrencyStamp)
        #expect(users[0].id.count == 36 && users[0].id == users[0].id.lowercased())
    }

    @Test func confirmingTwiceIsHarmless() throws {
        let app = try TestApp()
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        #expect(app.get(link.path, query: link.query).status == 200)
        #expect(try app.logIn().status == 303)
    }

    @Test func signInBeforeConfirmingOffersANewLink() throws {
        let app = try TestApp()
        try app.register()
        let response = try app.logIn()
        #expect(response.status == 422)
        #expect(response.text.contains("You must confirm your email before you can log in."))
        #expect(response.text.contains("Did not get the confirmation email?"))
        #expect(app.cookies["Countersign.Session"] == nil)
    }

    @Test func wrongPasswordAndUnknownAddressGetTheSameAnswer() throws {
        let app = try TestApp()
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        let wrong = try app.logIn(password: "not-the-password-9")
        let unknown = try app.logIn(email: "nobody@example.com")
        #expect(wrong.status == 422 && unknown.status == 422)
        #expect(wrong.text.contains(LoginPage.failureMessage) && unknown.text.contains(LoginPage.failureMessage))
    }

    @Test(arguments: [
        ("Email", "not-an-address", "The Email field is not a valid e-mail address."),
        ("FirstName", "", "The First Name field is required."),
        ("PhoneNumber", "", "The Phone Number field is required."),
        ("ConfirmPassword", "something-else-entirely", "The password and confirmation password do not match."),
    ])
    func invalidRegistrationIs422WithTheMessageAndTheValuesButNoPassword(_ field: String, _ value: String, _ message: String) throws {
        let app = try TestApp()
        let fields = TestApp.registration(email: "ada@example.com").map { $0.0 == field ? ($0.0, value) : $0 }
        let response = try app.post("/Account/Register", fields)
        #expect(response.status == 422)
        #expect(response.text.contains(message))
        #expect(field == "FirstName" || response.text.contains("value=\"Ada\""))
        #expect(response.text.contains("value=\"Lovelace\""))
        #expect(!response.text.contains(TestApp.password))
        #expect(!response.text.contains("something-else-entirely"))
        #expect(try app.emails().isEmpty)
    }

    @Test func anAddressAlreadyRegisteredIs422InAnyCase() throws {
        let app = try TestApp()
        try app.register(email: "ada@example.com")
        let response = try app.post("/Account/Register", TestApp.registration(email: "ADA@example.com"))
        #expect(response.status == 422)
        #expect(response.text.contains("is already taken."))
        #expect(try app.emails().count == 1)
    }

    @Test func isEmailAvailableAnswersInJQueryShape() throws {
        let app = try TestApp()
        let free = app.get("/Account/IsEmailAvailable", query: "Email=ada%40example.com")
        #expect(free.status == 200)
        #expect(free.text == "true")
        #expect(free.header("Content-Type") == "application/json; charset=utf-8")
        try app.register(email: "ada@example.com")
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=ADA%40example.com").text == "\"Email 'ADA@example.com' is already taken.\"".replacingOccurrences(of: "'", with: "\\u0027"))
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=nope").text == "\"The Email field is not a valid e-mail address.\"")
    }

    @Test func lookupsPerAddressAreLimitedAndTheLimitPassesWithTime() throws {
        let app = try TestApp(extra: "[email]\nlookups_per_ip_per_hour = 2")
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=a%40example.com").status == 200)
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=b%40example.com").status == 200)
        let limited = app.get("/Account/IsEmailAvailable", query: "Email=c%40example.com")
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") == "3600")
        #expect(limited.text.contains("in 60 minutes"))
        app.clock.advance(by: 3600)
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=d%40example.com").status == 200)
    }

    @Test func logoutEndsTheSignInOnTheServer() throws {
        let app = try TestApp()
        try app.signedInUser()
        let sessionCookie = try #require(app.cookies["Countersign.Session"])
        let response = try app.post("/Account/Logout", [], formPage: "/Account/Manage")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/Login")
        #expect(app.cookies["Countersign.Session"] == nil)
        // Replaying the old cookie does not bring the sign-in back.
        app.cookies["Countersign.Session"] = sessionCookie
        #expect(app.get("/Account/Manage").status == 303)
    }

    @Test func rememberMeMakesAPersistentCookie() throws {
        let remembered = try TestApp()
        let link = try remembered.register()
        #expect(remembered.get(link.path, query: link.query).status == 200)
        let persistent = try remembered.logIn(rememberMe: true)
        let cookie = try #require(persistent.headerValues("Set-Cookie").first { $0.hasPrefix("Countersign.Session=") })
        #expect(cookie.contains("Max-Age=1209600"))

        let forgotten = try TestApp()
        let other = try forgotten.register()
        #expect(forgotten.get(other.path, query: other.query).status == 200)
        let session = try forgotten.logIn(rememberMe: false)
        let sessionCookie = try #require(session.headerValues("Set-Cookie").first { $0.hasPrefix("Countersign.Session=") })
        #expect(!sessionCookie.contains("Max-Age"))
    }

    @Test func changingThePasswordEndsOtherSignInsButNotThisOne() throws {
        let app = try TestApp()
        try app.signedInUser()
        let otherBrowser = app.cookies["Countersign.Session"]
        let newPassword = "glacier-Tumble-83-fennel"
        let response = try app.post("/Account/ChangePassword", [
            ("CurrentPassword", TestApp.password), ("NewPassword", newPassword), ("ConfirmPassword", newPassword),
        ])
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/Manage")
        let manage = app.get("/Account/Manage")
        #expect(manage.status == 200)
        #expect(manage.text.contains(FlashText.passwordChanged.text))

        var stale = app.cookies
        stale["Countersign.Session"] = otherBrowser
        let saved = app.cookies
        app.cookies = stale
        #expect(app.get("/Account/Manage").status == 303)
        app.cookies = saved

        #expect(try app.logIn(password: TestApp.password).status == 422)
        #expect(try app.logIn(password: newPassword).status == 303)
    }
}
