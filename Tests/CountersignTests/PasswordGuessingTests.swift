import Foundation
import Storage
import Testing
import Timekeeping
import Web
@testable import Countersign

/// Password guessing: the per-client limit of failed checks, and the current password of
/// ChangePassword counting as a sign-in (lockout).
@Suite struct PasswordGuessingTests {
    @Test func failuresFromOneClientBeyondTheHourlyLimitAre429() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures_per_ip_per_hour = 3")
        for index in 1...3 {
            #expect(try app.logIn(email: "nobody\(index)@example.com", password: "wrong-password-\(index)").status == 422)
        }
        let refused = try app.logIn(email: "nobody4@example.com", password: "wrong-password-4")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "3600")
        app.clock.advance(by: 3600)
        #expect(try app.logIn(email: "nobody5@example.com", password: "wrong-password-5").status == 422)
    }

    @Test func aRightPasswordDoesNotCountTowardTheClientsLimit() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures_per_ip_per_hour = 2")
        try app.signedInUser()
        for _ in 1...3 { #expect(try app.logIn().status == 303) }
    }

    @Test func wrongCurrentPasswordsOnChangePasswordLockTheAccount() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures = 3\nduration = 5m")
        try app.signedInUser()
        let newPassword = "another-Orchid-58-quasar"
        func change(current: String) throws -> Response {
            try app.post("/Account/ChangePassword", [("CurrentPassword", current), ("NewPassword", newPassword), ("ConfirmPassword", newPassword)])
        }
        for index in 1...3 {
            let response = try change(current: "not-my-password-\(index)")
            #expect(response.status == 422)
            #expect(response.text.contains("Incorrect password."))
        }
        let user = try #require(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM"))
        #expect(user.lockoutEnd == app.clock.now.addingTimeInterval(300))
        // Locked: the right current password is refused too, and so is sign-in.
        #expect(try change(current: TestApp.password).status == 422)
        app.cookies = [:]
        #expect(try app.logIn().status == 422)
        let events = try app.services.storage.events.events(since: nil, userId: user.id).map(\.kind)
        #expect(events.filter { $0 == "password-check-failed" }.count == 4)
        #expect(events.contains("locked-out"))
        // After the lockout the right password works again.
        app.clock.advance(by: 300)
        #expect(try app.logIn().status == 303)
        #expect(try change(current: TestApp.password).status == 303)
    }

    @Test func wrongCurrentPasswordsCountTowardTheClientsLimit() throws {
        let app = try TestApp(extra: "[lockout]\nmax_failures = 100\nmax_failures_per_ip_per_hour = 2")
        try app.signedInUser()
        let fields = [("CurrentPassword", "nope-nope-nope"), ("NewPassword", "another-Orchid-58-quasar"), ("ConfirmPassword", "another-Orchid-58-quasar")]
        #expect(try app.post("/Account/ChangePassword", fields).status == 422)
        #expect(try app.post("/Account/ChangePassword", fields).status == 422)
        #expect(try app.post("/Account/ChangePassword", fields).status == 429)
        #expect(try app.logIn().status == 429)
    }
}
