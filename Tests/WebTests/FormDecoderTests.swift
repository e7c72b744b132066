import Testing
@testable import Web

@Suite struct FormDecoderTests {
    @Test func decodesFieldsInOrderWithPlusAndEscapes() throws {
        let form = try FormDecoder.decode("FirstName=Ana+Mar%C3%ADa&Email=a%40example.com&Tag=1&Tag=2")
        #expect(form.value("FirstName") == "Ana María")
        #expect(form.value("Email") == "a@example.com")
        #expect(form.values("Tag") == ["1", "2"])
        #expect(form.fields.map(\.name) == ["FirstName", "Email", "Tag", "Tag"])
    }

    @Test func percentEncodedPlusIsAPlus() throws {
        let form = try FormDecoder.decode("PhoneNumber=%2B12015550123&a=b%3Dc")
        #expect(form.value("PhoneNumber") == "+12015550123")
        #expect(form.value("a") == "b=c")
    }

    @Test func onlyTheFirstEqualsSplits() throws {
        #expect(try FormDecoder.decode("a=b=c").value("a") == "b=c")
    }

    @Test func emptySegmentsAreIgnored() throws {
        let form = try FormDecoder.decode("&&a=1&&&b=2&")
        #expect(form.fields.map(\.name) == ["a", "b"])
    }

    @Test func aFieldWithoutEqualsHasTheEmptyValue() throws {
        let form = try FormDecoder.decode("RememberMe&x=")
        #expect(form.value("RememberMe") == "")
        #expect(form.value("x") == "")
        #expect(form.value("missing") == nil)
    }

    @Test func emptyInputIsAnEmptyForm() throws {
        #expect(try FormDecoder.decode("").isEmpty)
        #expect(try FormDecoder.decode([UInt8]()).isEmpty)
    }

    @Test func lookupsIgnoreASCIICase() throws {
        let form = try FormDecoder.decode("email=a%40b.c")
        #expect(form.value("Email") == "a@b.c")
    }

    @Test(arguments: [
        ("a=%", FormError.badEscape),
        ("a=%4", .badEscape),
        ("a=%zz", .badEscape),
        ("a=%4g", .badEscape),
        ("a=%%41", .badEscape),
        ("%=1", .badEscape),
        ("a=1&b=x%", .badEscape),
        ("a=%C3", .invalidUTF8),
        ("a=%FF", .invalidUTF8),
        ("a=%C0%AF", .invalidUTF8),
        ("a=%ED%A0%80", .invalidUTF8),
        ("%FF=1", .invalidUTF8),
        ("=1", .emptyName),
        ("a=1&=2", .emptyName),
        ("=", .emptyName),
    ])
    func refusesMalformedInput(input: String, expected: FormError) {
        #expect(throws: expected) { try FormDecoder.decode(input) }
    }

    @Test func refusesRawInvalidUTF8Bytes() {
        #expect(throws: FormError.invalidUTF8) { try FormDecoder.decode([0x61, 0x3D, 0xFF]) }
    }

    @Test func acceptsExactlyTheFieldLimit() throws {
        let body = (0..<FormDecoder.maxFields).map { "f\($0)=1" }.joined(separator: "&")
        #expect(try FormDecoder.decode(body).fields.count == 1000)
    }

    @Test func refusesOneFieldOverTheLimit() {
        let body = (0...FormDecoder.maxFields).map { "f\($0)=1" }.joined(separator: "&")
        #expect(throws: FormError.tooManyFields) { try FormDecoder.decode(body) }
    }

    @Test func emptySegmentsDoNotCountTowardTheLimit() throws {
        let body = (0..<FormDecoder.maxFields).map { "f\($0)=1" }.joined(separator: "&&&")
        #expect(try FormDecoder.decode(body).fields.count == 1000)
    }

    @Test func singleRefusesARepeatedField() throws {
        let form = try FormDecoder.decode("Email=a&email=b&RememberMe=true&RememberMe=false")
        #expect(throws: FormError.repeatedField("Email")) { try form.single("Email") }
        #expect(try form.single("RememberMe", allowRepeats: true) == "true")
        #expect(try form.single("Password") == nil)
        #expect(throws: FormError.repeatedField("Email")) {
            try form.rejectRepeats(of: ["RememberMe", "Email"], except: ["RememberMe"])
        }
        #expect(throws: Never.self) { try form.rejectRepeats(of: ["RememberMe", "Password"], except: ["RememberMe"]) }
    }

    @Test func formErrorsAre400() {
        for error in [FormError.badEscape, .invalidUTF8, .tooManyFields, .repeatedField("Email"), .emptyName] {
            #expect(error.httpError.status == 400)
        }
    }
}

@Suite struct RequestTests {
    @Test func formRequiresTheFormContentType() throws {
        var request = Request(method: "POST", path: "/Account/Login", body: Array("Email=a".utf8))
        #expect(throws: HTTPError.self) { try request.form() }
        for type in ["application/json", "text/plain", "multipart/form-data; boundary=x"] {
            request.headers.set(name: "Content-Type", value: type)
            #expect(throws: HTTPError(415, message: "Forms must be sent as application/x-www-form-urlencoded.")) {
                try request.form()
            }
        }
        request.headers.set(name: "content-type", value: "Application/X-WWW-Form-Urlencoded ; charset=UTF-8")
        #expect(try request.form().value("Email") == "a")
    }

    @Test func malformedBodyIs400() {
        let request = Request(method: "POST", path: "/", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                              body: Array("a=%zz".utf8))
        do {
            _ = try request.form()
            Issue.record("expected an error")
        } catch {
            #expect(error.status == 400)
        }
    }

    @Test func queryUsesTheSameRules() throws {
        #expect(try Request(method: "GET", path: "/", queryString: "Email=a%40b.c").query().value("Email") == "a@b.c")
        #expect(throws: FormError.badEscape) { try Request(method: "GET", path: "/", queryString: "Email=%").query() }
    }

    @Test func contentTypeIsTheBareLowerCasedMediaType() {
        #expect(Request(method: "GET", path: "/").contentType == nil)
        #expect(Request(method: "GET", path: "/", headers: ["Content-Type": " "]).contentType == nil)
        #expect(Request(method: "GET", path: "/", headers: ["CONTENT-TYPE": "Text/HTML;charset=utf-8"]).contentType == "text/html")
    }

    @Test func headersAreCaseInsensitiveMultiMap() {
        var headers: HTTPHeaders = ["Cookie": "a=1", "X-Other": "x"]
        headers.add(name: "cookie", value: "b=2")
        #expect(headers["COOKIE"] == "a=1")
        #expect(headers.values(for: "Cookie") == ["a=1", "b=2"])
        let request = Request(method: "GET", path: "/", headers: headers)
        #expect(request.header("x-other") == "x")
        #expect(request.cookies == ["a": "1", "b": "2"])
        headers.remove(name: "COOKIE")
        #expect(!headers.contains("Cookie"))
    }
}

@Suite struct ResponseTests {
    @Test func factoriesSetStatusTypeAndBody() {
        let html = Response.html("<p>hi</p>", status: 422)
        #expect(html.status == 422)
        #expect(html.header("content-type") == "text/html; charset=utf-8")
        #expect(html.body == Array("<p>hi</p>".utf8))
        #expect(Response.text("x").header("Content-Type") == "text/plain; charset=utf-8")
        #expect(Response.json(JSONText.true).body == Array("true".utf8))
        let redirect = Response.redirect(to: "/Account/Manage")
        #expect(redirect.status == 303)
        #expect(redirect.header("Location") == "/Account/Manage")
        #expect(Response.empty(status: 204).body.isEmpty)
    }

    @Test func setHeaderReplacesAddHeaderAppends() {
        var response = Response.empty(status: 200)
        response.addHeader("Set-Cookie", "a=1")
        response.addHeader("Set-Cookie", "b=2")
        #expect(response.headerValues("set-cookie") == ["a=1", "b=2"])
        response.setHeader("set-cookie", "c=3")
        #expect(response.headerValues("Set-Cookie") == ["c=3"])
    }

    @Test(arguments: [(200, "OK"), (303, "See Other"), (400, "Bad Request"), (404, "Not Found"),
                      (405, "Method Not Allowed"), (413, "Content Too Large"), (415, "Unsupported Media Type"),
                      (422, "Unprocessable Content"), (429, "Too Many Requests"), (500, "Internal Server Error"),
                      (499, "Client Error")])
    func reasonPhrases(status: Int, phrase: String) {
        #expect(Response.reasonPhrase(for: status) == phrase)
    }

    @Test func httpErrorsCarryTheirHeaders() {
        let limited = HTTPError.tooManyRequests(retryAfter: 59.2).response
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") == "60")
        let wrongMethod = HTTPError.methodNotAllowed(allow: ["GET", "HEAD", "POST"]).response
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD, POST")
        #expect(HTTPError.notFound().message == "Not Found")
    }
}

@Suite struct JSONTextTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("Email \"a@b.c\" is taken.", "\"Email \\\"a@b.c\\\" is taken.\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("line\nbreak\ttab", "\"line\\nbreak\\ttab\""),
        ("</script>&'", "\"\\u003c/script\\u003e\\u0026\\u0027\""),
        ("\u{1}\u{2028}", "\"\\u0001\\u2028\""),
        ("José 📱", "\"José 📱\""),
    ])
    func encodesStrings(input: String, expected: String) {
        #expect(JSONText.string(input) == expected)
    }
}
