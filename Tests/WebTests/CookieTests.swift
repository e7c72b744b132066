import Foundation
import Testing
@testable import Web

@Suite struct CookieParserTests {
    @Test func parsesPairs() {
        #expect(CookieParser.parse("a=1; b=two; __Host-Countersign.Flash=x.y-z_") ==
            ["a": "1", "b": "two", "__Host-Countersign.Flash": "x.y-z_"])
    }

    @Test func firstValueWinsForRepeatedNames() {
        #expect(CookieParser.parse("a=first; a=second") == ["a": "first"])
    }

    @Test func quotesAreRemovedAndEmptyValuesKept() {
        #expect(CookieParser.parse("a=\"quoted\"; b=; c=\"\"") == ["a": "quoted", "b": "", "c": ""])
    }

    @Test func toleratesMissingSpaceAndExtraWhitespace() {
        #expect(CookieParser.parse("a=1;b=2 ;\tc=3 ;;") == ["a": "1", "b": "2", "c": "3"])
    }

    @Test func emptyHeaderHasNoCookies() {
        #expect(CookieParser.parse("").isEmpty)
    }

    @Test(arguments: [
        "novalue",
        "=nameless",
        "sp ace=1",
        "a(b)=1",
        "a=\"unterminated",
        "a=\"",
        "a=in\"side",
        "a=with space",
        "a=comma,here",
        "a=back\\slash",
        "a=ctl\u{1}",
        "a=\u{7F}",
        "a=é",
        "é=1",
        "a=1\"",
    ])
    func skipsMalformedPairsButKeepsTheRest(pair: String) {
        #expect(CookieParser.parse("good=1; \(pair); other=2") == ["good": "1", "other": "2"])
    }
}

@Suite struct SetCookieTests {
    @Test func writesEveryAttribute() throws {
        let cookie = try SetCookie(name: "a", value: "b", path: "/Account", domain: "example.com", maxAge: 60,
                                   expires: Date(timeIntervalSince1970: 784_111_777), httpOnly: true, secure: true,
                                   sameSite: .strict)
        #expect(cookie.headerValue ==
            "a=b; Path=/Account; Domain=example.com; Max-Age=60; Expires=Sun, 06 Nov 1994 08:49:37 GMT; HttpOnly; Secure; SameSite=Strict")
    }

    @Test func defaultsAreHttpOnlyLaxRootPath() throws {
        #expect(try SetCookie(name: "a", value: "b", secure: false).headerValue == "a=b; Path=/; HttpOnly; SameSite=Lax")
    }

    @Test func deletionExpiresAtOnce() throws {
        let cookie = try SetCookie.deletion(name: "__Host-x", secure: true)
        #expect(cookie.headerValue ==
            "__Host-x=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax")
    }

    @Test(arguments: [
        (784_111_777.0, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_795_000_000.0, "Wed, 18 Nov 2026 11:06:40 GMT"),
        (4_102_444_799.0, "Thu, 31 Dec 2099 23:59:59 GMT"),
    ])
    func expiresIsIMFFixdate(seconds: Double, expected: String) {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func hostPrefixNeedsSecureRootPathNoDomain() {
        #expect(throws: SetCookieError.hostPrefixRules("__Host-a")) { try SetCookie(name: "__Host-a", value: "b", secure: false) }
        #expect(throws: SetCookieError.hostPrefixRules("__Host-a")) {
            try SetCookie(name: "__Host-a", value: "b", path: "/Account", secure: true)
        }
        #expect(throws: SetCookieError.hostPrefixRules("__Host-a")) {
            try SetCookie(name: "__Host-a", value: "b", path: nil, secure: true)
        }
        #expect(throws: SetCookieError.hostPrefixRules("__Host-a")) {
            try SetCookie(name: "__Host-a", value: "b", domain: "example.com", secure: true)
        }
        #expect(throws: Never.self) { try SetCookie(name: "__Host-a", value: "b", secure: true) }
    }

    @Test func securePrefixNeedsSecure() {
        #expect(throws: SetCookieError.securePrefixRules("__Secure-a")) { try SetCookie(name: "__Secure-a", value: "b", secure: false) }
    }

    @Test(arguments: ["", "a b", "a;b", "a=b", "é"])
    func refusesBadNames(name: String) {
        #expect(throws: SetCookieError.invalidName(name)) { try SetCookie(name: name, value: "x", secure: false) }
    }

    @Test(arguments: ["a b", "a;b", "a\"b", "a,b", "a\\b", "é"])
    func refusesBadValues(value: String) {
        #expect(throws: SetCookieError.invalidValue("n")) { try SetCookie(name: "n", value: value, secure: false) }
    }

    @Test func refusesAttributeInjection() {
        #expect(throws: SetCookieError.invalidAttribute("n")) {
            try SetCookie(name: "n", value: "v", path: "/; Domain=evil.example", secure: false)
        }
        #expect(throws: SetCookieError.invalidAttribute("n")) { try SetCookie(name: "n", value: "v", maxAge: -1, secure: false) }
    }
}
