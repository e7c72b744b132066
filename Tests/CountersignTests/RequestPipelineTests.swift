import Foundation
import Storage
import Testing
import Web
@testable import Countersign

/// Every POST needs the antiforgery token issued to this visitor; the body must be a sound
/// url-encoded form within `server.max_body`.
@Suite struct AntiforgeryRequiredTests {
    static let login = [("Email", "nobody@example.com"), ("Password", "wrong password 1")]

    @Test func theRightTokenAndCookieGetThrough() throws {
        let app = try TestApp()
        let response = try app.post("/Account/Login", Self.login)
        #expect(response.status == 422)
        #expect(response.text.contains(LoginPage.failureMessage))
    }

    @Test func aMissingTokenIs400() throws {
        let app = try TestApp()
        _ = try app.antiforgeryToken(on: "/Account/Login")  // the visitor has the cookie
        let response = try app.post("/Account/Login", Self.login, token: .none)
        #expect(response.status == 400)
        #expect(response.text.contains("This form has expired or did not come from this site."))
    }

    @Test func aTokenWithoutItsCookieIs400() throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        app.cookies = [:]
        #expect(try app.post("/Account/Login", Self.login, token: .given(token)).status == 400)
    }

    @Test func anotherVisitorsTokenIs400() throws {
        let app = try TestApp()
        let other = try TestApp()
        let foreignToken = try other.antiforgeryToken(on: "/Account/Login")
        _ = try app.antiforgeryToken(on: "/Account/Login")
        #expect(try app.post("/Account/Login", Self.login, token: .given(foreignToken)).status == 400)
    }

    @Test(arguments: ["", "garbage", "AAAA", String(repeating: "A", count: 43)])
    func aWrongTokenIs400(_ token: String) throws {
        let app = try TestApp()
        _ = try app.antiforgeryToken(on: "/Account/Login")
        #expect(try app.post("/Account/Login", Self.login, token: .given(token)).status == 400)
    }

    @Test func theTokenGivenTwiceIs400() throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        let response = try app.post("/Account/Login", Self.login + [("__RequestVerificationToken", token)], token: .given(token))
        #expect(response.status == 400)
    }

    @Test func aFormFromBeforeSignInDoesNotWorkAfterIt() throws {
        let app = try TestApp()
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        let oldToken = try app.antiforgeryToken(on: "/Account/Login")
        try app.logIn()
        // The token is bound to the sign-in: the Logout form of the old page is refused …
        #expect(try app.post("/Account/Logout", [], token: .given(oldToken)).status == 400)
        #expect(app.get("/Account/Manage").status == 200)
        // … and the one on a page rendered now works.
        let response = try app.post("/Account/Logout", [], formPage: "/Account/Manage")
        #expect(response.status == 303)
        #expect(app.get("/Account/Manage").status == 303)
    }

    @Test(arguments: ["https://evil.example", "null", "http://example.com", "https://example.com:8443"])
    func aForeignOriginIs400EvenWithAGoodToken(_ origin: String) throws {
        let app = try TestApp()
        let response = try app.post("/Account/Login", Self.login, headers: [("Origin", origin)])
        #expect(response.status == 400)
    }

    @Test func ourOwnOriginPasses() throws {
        let app = try TestApp()
        #expect(try app.post("/Account/Login", Self.login, headers: [("Origin", "https://example.com")]).status == 422)
        #expect(try app.post("/Account/Login", Self.login, headers: [("Referer", "https://example.com/Account/Login")]).status == 422)
        #expect(try app.post("/Account/Login", Self.login, headers: [("Referer", "https://evil.example/Account/Login")]).status == 400)
    }

    @Test func aRefusedRegistrationChangesNothing() throws {
        let app = try TestApp()
        _ = try app.antiforgeryToken(on: "/Account/Register")
        let response = try app.post("/Account/Register", TestApp.registration(email: "ada@example.com"), token: .none)
        #expect(response.status == 400)
        #expect(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM") == nil)
        #expect(try app.emails().isEmpty)
    }

    @Test func aRefusedLogoutKeepsTheSignIn() throws {
        let app = try TestApp()
        try app.signedInUser()
        #expect(try app.post("/Account/Logout", [], token: .none).status == 400)
        #expect(app.get("/Account/Manage").status == 200)
    }
}

/// 413, 415 and 400 for the body, in that order, before the token is looked at.
@Suite struct RequestBodyTests {
    @Test func anOverLimitBodyIs413() throws {
        let app = try TestApp()
        let response = app.send("POST", "/Account/Login", headers: [("Content-Type", "application/x-www-form-urlencoded")], bodyExceedsLimit: true)
        #expect(response.status == 413)
        #expect(response.text.contains("The form was larger than this site accepts."))
    }

    @Test func anOverLimitBodyOfAnotherTypeIsStill413() throws {
        let app = try TestApp()
        #expect(app.send("POST", "/Account/Register", headers: [("Content-Type", "application/json")], bodyExceedsLimit: true).status == 413)
    }

    @Test(arguments: ["application/json", "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencodedx", ""])
    func anotherContentTypeIs415(_ type: String) throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        let body = type == "application/json"
            ? "{\"Email\":\"a@example.com\",\"Password\":\"x\",\"__RequestVerificationToken\":\"\(token)\"}"
            : "Email=a%40example.com&Password=x&__RequestVerificationToken=\(token)"
        let headers = type.isEmpty ? [] : [("Content-Type", type)]
        let response = app.send("POST", "/Account/Login", body: Array(body.utf8), headers: headers)
        #expect(response.status == 415)
    }

    @Test func theContentTypeMayCarryACharset() throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        let body = "Email=a%40example.com&Password=x&__RequestVerificationToken=\(token)"
        let response = app.send("POST", "/Account/Login", body: Array(body.utf8), headers: [("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")])
        #expect(response.status == 422)
    }

    @Test(arguments: [
        "Email=%ZZ&Password=x",
        "Email=%E9&Password=x",
        "Email=a&Email=b&Password=x",
        "Email=a&Password=x&Password=y",
    ])
    func aMalformedBodyIs400(_ body: String) throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        let response = app.send("POST", "/Account/Login", body: Array((body + "&__RequestVerificationToken=" + token).utf8),
                                headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(response.status == 400)
    }

    @Test func rememberMeMayComeTwiceAndEmptySegmentsAreIgnored() throws {
        let app = try TestApp()
        let token = try app.antiforgeryToken(on: "/Account/Login")
        let body = "Email=a%40example.com&&Password=x&RememberMe=true&RememberMe=false&__RequestVerificationToken=" + token
        let response = app.send("POST", "/Account/Login", body: Array(body.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(response.status == 422)
    }

    @Test func aMalformedQueryStringIs400() throws {
        let app = try TestApp()
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=%ZZ").status == 400)
        #expect(app.get("/Account/IsEmailAvailable", query: "Email=a&Email=b").status == 400)
    }
}
