import Storage
import Testing
import Web
@testable import Countersign

/// Route and method come first: 404, 405 with `Allow`, HEAD wherever GET is.
@Suite struct RouteTableTests {
    @Test(arguments: ["/Account/Nope", "/Account", "/Account/", "/Account/Register/", "/Other/Register", "/Register", "/", "", "/Account/Register/extra"])
    func unknownPathIs404(_ path: String) throws {
        let app = try TestApp()
        let response = app.get(path)
        #expect(response.status == 404)
        #expect(response.text.contains("There is no page at this address."))
    }

    @Test(arguments: [
        ("DELETE", "/Account/Register", "GET, HEAD, POST"),
        ("PUT", "/Account/Login", "GET, HEAD, POST"),
        ("POST", "/Account/Manage", "GET, HEAD"),
        ("POST", "/Account/RegistrationSuccessful", "GET, HEAD"),
        ("POST", "/Account/IsEmailAvailable", "GET, HEAD"),
        ("GET", "/Account/Logout", "POST"),
        ("GET", "/Account/ResendConfirmationEmail", "POST"),
        ("HEAD", "/Account/Logout", "POST"),
        ("PATCH", "/Account/ChangePassword", "GET, HEAD, POST"),
    ])
    func wrongMethodIs405WithAllow(_ method: String, _ path: String, _ allow: String) throws {
        let app = try TestApp()
        let response = app.send(method, path)
        #expect(response.status == 405)
        #expect(response.header("Allow") == allow)
    }

    @Test func methodIsCheckedBeforeSignIn() throws {
        // POST /Manage by a stranger: 405, not a redirect to the sign-in page.
        let app = try TestApp()
        #expect(app.send("POST", "/Account/Manage").status == 405)
    }

    @Test(arguments: ["/Account/Register", "/Account/Login", "/Account/RegistrationSuccessful"])
    func headIsAnsweredWhereGETIs(_ path: String) throws {
        let app = try TestApp()
        let head = app.send("HEAD", path)
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/html; charset=utf-8")
    }

    @Test func headOfAnAuthPageRedirectsLikeGET() throws {
        let app = try TestApp()
        let head = app.send("HEAD", "/Account/Manage")
        #expect(head.status == 303)
        #expect(returnURL(inLoginRedirect: head.header("Location")) == "/Account/Manage")
    }

    @Test(arguments: ["/account/login", "/ACCOUNT/LOGIN", "/Account/lOgIn"])
    func pathsMatchCaseInsensitively(_ path: String) throws {
        let app = try TestApp()
        let response = app.get(path)
        #expect(response.status == 200)
        #expect(response.text.contains("<h1>Log in</h1>"))
    }

    @Test(arguments: ["GET", "POST", "PUT", "DELETE", "HEAD", "PROPFIND"])
    func authCheckAnswersAnyMethodWithoutReadingTheBody(_ method: String) throws {
        let app = try TestApp()
        // The body is never read, so even an over-limit one is fine; no antiforgery is needed.
        let response = app.send(method, "/Account/Auth", bodyExceedsLimit: true)
        #expect(response.status == 401)
        #expect(response.header("X-Countersign-User-Id") == nil)
    }

    @Test func authCheckNamesTheSignedInUser() throws {
        let app = try TestApp()
        try app.signedInUser(email: "ada@example.com")
        let response = app.send("POST", "/Account/Auth", headers: [("Content-Length", "12")])
        #expect(response.status == 200)
        #expect(response.header("X-Countersign-Email") == "ada@example.com")
        #expect(response.header("X-Countersign-Phone-Verified") == "false")
        let user = try #require(try app.services.storage.users.user(normalizedEmail: "ADA@EXAMPLE.COM"))
        #expect(response.header("X-Countersign-User-Id") == user.id)
    }

    @Test func everyAnswerIsUncacheable() throws {
        let app = try TestApp()
        #expect(app.get("/Account/Login").header("Cache-Control") == "no-store")
        #expect(app.get("/Account/Nope").header("Cache-Control") == "no-store")
        #expect(app.send("GET", "/Account/Auth").header("Cache-Control") == "no-store")
    }
}

/// `[auth]` pages send strangers to the sign-in page with a `ReturnUrl`, before the body is read.
@Suite struct SignInRequiredTests {
    @Test(arguments: ["/Account/Manage", "/Account/ChangePassword"])
    func authPageRedirectsToLoginWithReturnURL(_ path: String) throws {
        let app = try TestApp()
        let response = app.get(path)
        #expect(response.status == 303)
        #expect(returnURL(inLoginRedirect: response.header("Location")) == path)
    }

    @Test func theQueryStringIsKeptInTheReturnURL() throws {
        let app = try TestApp()
        let response = app.get("/Account/Manage", query: "tab=phone&x=%2F")
        #expect(returnURL(inLoginRedirect: response.header("Location")) == "/Account/Manage?tab=phone&x=%2F")
    }

    @Test func thePathIsKeptAsTheVisitorWroteIt() throws {
        let app = try TestApp()
        #expect(returnURL(inLoginRedirect: app.get("/account/manage").header("Location")) == "/account/manage")
    }

    @Test func aPostGoesBackToThePageThatHoldsItsForm() throws {
        let app = try TestApp()
        // No token, an over-limit body: the sign-in check comes first, so neither 400 nor 413.
        let response = app.send("POST", "/Account/ChangePassword", body: Array("x=1".utf8),
                                headers: [("Content-Type", "application/json")], bodyExceedsLimit: true)
        #expect(response.status == 303)
        #expect(returnURL(inLoginRedirect: response.header("Location")) == "/Account/ChangePassword")
    }

    @Test func aForgedSessionCookieIsNotASignIn() throws {
        let app = try TestApp()
        app.cookies["Countersign.Session"] = String(repeating: "A", count: 43)
        #expect(app.get("/Account/Manage").status == 303)
        app.cookies["Countersign.Session"] = "garbage"
        #expect(app.get("/Account/Manage").status == 303)
    }

    @Test func signInGoesBackToALocalReturnURL() throws {
        let app = try TestApp()
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        let response = try app.logIn(returnURL: "/Account/ChangePassword")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/ChangePassword")
        #expect(app.get("/Account/ChangePassword").status == 200)
    }

    @Test func followingTheRedirectsLikeABrowserEndsOnThePageAskedFor() throws {
        let app = try TestApp()
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        let redirect = app.get("/Account/ChangePassword")
        let location = try #require(redirect.header("Location"))
        let parts = location.split(separator: "?", maxSplits: 1).map(String.init)
        let loginPage = app.get(parts[0], query: parts[1])
        #expect(loginPage.status == 200)
        #expect(loginPage.text.contains("<input type=\"hidden\" name=\"ReturnUrl\" value=\"/Account/ChangePassword\">"))
        let token = try #require(TestApp.antiforgeryToken(in: loginPage))
        let response = try app.post("/Account/Login", [("Email", "ada@example.com"), ("Password", TestApp.password), ("ReturnUrl", "/Account/ChangePassword")], token: .given(token))
        #expect(response.header("Location") == "/Account/ChangePassword")
    }

    @Test(arguments: ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "Account/Manage"])
    func signInIgnoresAForeignReturnURL(_ target: String) throws {
        let app = try TestApp()
        let link = try app.register()
        #expect(app.get(link.path, query: link.query).status == 200)
        let response = try app.logIn(returnURL: target)
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/Manage")
    }
}
