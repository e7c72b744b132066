import Testing
@testable import Web

@Suite struct RouterTests {
    func router(mount: String = "/Account") -> Router<String> {
        var router = Router<String>(mount: mount)
        router.add("/Register", methods: ["GET", "POST"], handler: "register")
        router.add("/RegistrationSuccessful", methods: ["GET"], handler: "done")
        router.add("/Logout", methods: ["POST"], handler: "logout")
        router.addAnyMethod("/Auth", handler: "auth")
        return router
    }

    func found(_ match: RouteMatch<String>) -> String? {
        if case .found(let handler) = match { handler } else { nil }
    }

    func allow(_ match: RouteMatch<String>) -> [String]? {
        if case .methodNotAllowed(let allow) = match { allow } else { nil }
    }

    func isNotFound(_ match: RouteMatch<String>) -> Bool {
        if case .notFound = match { true } else { false }
    }

    @Test func findsRegisteredRoutes() {
        let router = router()
        #expect(found(router.match(method: "GET", path: "/Account/Register")) == "register")
        #expect(found(router.match(method: "POST", path: "/Account/Register")) == "register")
        #expect(found(router.match(method: "POST", path: "/Account/Logout")) == "logout")
    }

    @Test(arguments: ["/account/register", "/ACCOUNT/REGISTER", "/Account/rEgIsTeR", "/aCCount/Register"])
    func matchesCaseInsensitivelyPrefixIncluded(path: String) {
        #expect(found(router().match(method: "GET", path: path)) == "register")
    }

    @Test(arguments: ["/Account/Nope", "/Account/Register/", "/Account", "/Account/", "/Register", "/Other/Register",
                      "/AccountRegister", "/Account/Register?x=1", "/Account//Register", "", "/Account/Regİster"])
    func unknownPathsAreNotFound(path: String) {
        #expect(isNotFound(router().match(method: "GET", path: path)))
    }

    @Test func wrongMethodIs405WithAllow() {
        let router = router()
        #expect(allow(router.match(method: "DELETE", path: "/Account/Register")) == ["GET", "HEAD", "POST"])
        #expect(allow(router.match(method: "POST", path: "/Account/RegistrationSuccessful")) == ["GET", "HEAD"])
        #expect(allow(router.match(method: "GET", path: "/Account/Logout")) == ["POST"])
        #expect(allow(router.match(method: "HEAD", path: "/Account/Logout")) == ["POST"])
    }

    @Test func methodsAreCaseSensitive() {
        #expect(allow(router().match(method: "get", path: "/Account/Register")) == ["GET", "HEAD", "POST"])
    }

    @Test func headIsAnsweredWhereverGetIs() {
        #expect(found(router().match(method: "HEAD", path: "/Account/RegistrationSuccessful")) == "done")
    }

    @Test func anyMethodRoute() {
        for method in ["GET", "HEAD", "POST", "DELETE", "PROPFIND"] {
            #expect(found(router().match(method: method, path: "/account/auth")) == "auth")
        }
    }

    @Test(arguments: ["", "/"])
    func noMount(mount: String) {
        let router = router(mount: mount)
        #expect(found(router.match(method: "GET", path: "/register")) == "register")
        #expect(isNotFound(router.match(method: "GET", path: "/Account/Register")))
    }

    @Test func mountTrailingSlashIsIgnored() {
        #expect(found(router(mount: "/Account/").match(method: "GET", path: "/Account/Register")) == "register")
        #expect(router(mount: "/Account/").mount == "/Account")
    }

    @Test func deeperMount() {
        #expect(found(router(mount: "/site/Account").match(method: "GET", path: "/Site/account/Register")) == "register")
    }
}
