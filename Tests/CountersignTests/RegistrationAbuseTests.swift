import Foundation
import Storage
import Testing
import Timekeeping
import Web
@testable import Countersign

/// Input that reaches other people: names without line breaks or control characters, and
/// addresses that cannot be squatted by never confirming them.
@Suite struct RegistrationAbuseTests {
    @Test(arguments: [
        ("FirstName", "Ada\nClick https://evil.example to keep your account"),
        ("FirstName", "Ada\r\nBcc: victim@example.com"),
        ("LastName", "Love\u{2028}lace"),
        ("LastName", "Love\tlace"),
        ("FirstName", "Ada\u{202E}ecalevol"),
        ("LastName", "Love\u{7}lace"),
    ])
    func aNameWithALineBreakOrControlCharacterIsRefused(field: String, value: String) throws {
        let app = try TestApp()
        var fields = TestApp.registration(email: "ada@example.com")
        fields = fields.map { $0.0 == field ? ($0.0, value) : $0 }
        let response = try app.post("/Account/Register", fields)
        #expect(response.status == 422)
        #expect(response.text.contains("cannot contain line breaks or control characters"))
        #expect(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM") == nil)
        #expect(try app.emails().isEmpty)
    }

    @Test func namesOfEveryScriptStillWork() throws {
        let app = try TestApp()
        var fields = TestApp.registration(email: "ada@example.com")
        fields = fields.map { $0.0 == "FirstName" ? ($0.0, "می\u{200C}خواهم") : $0 }
        #expect(try app.post("/Account/Register", fields).status == 303)
    }

    @Test func anUnconfirmedAccountExpiresAndItsAddressCanRegisterAgain() throws {
        let app = try TestApp(extra: "[email]\nunconfirmed_lifetime = 2d")
        try app.register()
        let first = try #require(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM"))
        app.clock.advance(by: 2 * 86_400 - 1)
        Maintenance(services: app.services).run()
        #expect(try app.services.storage.users.user(id: first.id) != nil)
        #expect(try app.post("/Account/Register", TestApp.registration(email: "ada@example.com")).status == 422)
        app.clock.advance(by: 1)
        Maintenance(services: app.services).run()
        #expect(try app.services.storage.users.user(id: first.id) == nil)
        try app.register()
        #expect(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM") != nil)
    }

    @Test func anExpiredUnconfirmedAccountDoesNotHoldTheAddressBeforeMaintenance() throws {
        let app = try TestApp(extra: "[email]\nunconfirmed_lifetime = 1d")
        try app.register()
        app.clock.advance(by: 86_400)
        try app.register()
    }

    @Test func aConfirmedAccountNeverExpires() throws {
        let app = try TestApp(extra: "[email]\nunconfirmed_lifetime = 1d")
        try app.signedInUser()
        app.clock.advance(by: 30 * 86_400)
        Maintenance(services: app.services).run()
        #expect(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM") != nil)
    }
}
