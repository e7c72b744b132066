import Crypto
import Foundation
import Testing
import Timekeeping
@testable import Web

/// Predictable "random" bytes: each call returns a new run of one repeated byte.
final class CountingRandom: RandomSource {
    var calls: UInt8 = 0

    func bytes(_ count: Int) -> [UInt8] {
        calls += 1
        return Array(repeating: calls, count: count)
    }
}

@Suite struct AntiforgeryTests {
    let clock = ManualClock()
    let random = CountingRandom()
    let secret = Array(repeating: UInt8(1), count: 32)
    let oldSecret = Array(repeating: UInt8(2), count: 32)

    func antiforgery(secret: [UInt8]? = nil, previous: [[UInt8]] = [], secure: Bool = true) -> Antiforgery {
        Antiforgery(codec: SignedCookieCodec(secret: secret ?? self.secret, previousSecrets: previous, clock: clock),
                    random: random, secure: secure)
    }

    func request(cookie: String?) -> Request {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: "Cookie", value: String(cookie.split(separator: ";")[0])) }
        return Request(method: "POST", path: "/Account/Login", headers: headers)
    }

    @Test func newVisitorGetsACookieAndAValidToken() throws {
        let guard_ = antiforgery()
        let first = guard_.prepare(request(cookie: nil))
        let setCookie = try #require(first.setCookie)
        #expect(setCookie.hasPrefix("__Host-Countersign.Antiforgery="))
        #expect(setCookie.hasSuffix("; Path=/; HttpOnly; Secure; SameSite=Strict"))
        #expect(guard_.validate(request(cookie: setCookie), formToken: first.token))
        #expect(random.calls == 1)
    }

    @Test func tokenIsTheDocumentedHMAC() throws {
        let guard_ = antiforgery()
        let prepared = guard_.prepare(request(cookie: nil), sessionBinding: "session-hash")
        let visitorID = Array(repeating: UInt8(1), count: 16)
        let expected = HMAC.sha256(Array("antiforgery|\(Hex.encode(visitorID))|session-hash".utf8), key: secret)
        #expect(Base64URL.decode(prepared.token) == expected)
    }

    @Test func knownVisitorKeepsItsIdAndGetsNoNewCookie() throws {
        let guard_ = antiforgery()
        let cookie = try #require(guard_.prepare(request(cookie: nil)).setCookie)
        let again = guard_.prepare(request(cookie: cookie))
        #expect(again.setCookie == nil)
        #expect(guard_.validate(request(cookie: cookie), formToken: again.token))
        #expect(random.calls == 1)
    }

    @Test func missingOrMalformedTokenIsRefused() throws {
        let guard_ = antiforgery()
        let prepared = guard_.prepare(request(cookie: nil))
        let cookie = try #require(prepared.setCookie)
        for token in [nil, "", "x", String(prepared.token.dropLast()), prepared.token + "A", prepared.token + "="] {
            #expect(!guard_.validate(request(cookie: cookie), formToken: token))
        }
    }

    @Test func missingCookieIsRefused() {
        let guard_ = antiforgery()
        let prepared = guard_.prepare(request(cookie: nil))
        #expect(!guard_.validate(request(cookie: nil), formToken: prepared.token))
        #expect(!guard_.validate(request(cookie: "__Host-Countersign.Antiforgery=forged"), formToken: prepared.token))
    }

    @Test func anotherVisitorsTokenIsRefused() throws {
        let guard_ = antiforgery()
        let mine = try #require(guard_.prepare(request(cookie: nil)).setCookie)
        let theirs = guard_.prepare(request(cookie: nil))
        #expect(!guard_.validate(request(cookie: mine), formToken: theirs.token))
    }

    @Test func tokenFromAnotherSessionIsRefused() throws {
        let guard_ = antiforgery()
        let beforeSignIn = guard_.prepare(request(cookie: nil))
        let cookie = try #require(beforeSignIn.setCookie)
        #expect(!guard_.validate(request(cookie: cookie), formToken: beforeSignIn.token, sessionBinding: "new-session"))
        let signedIn = guard_.prepare(request(cookie: cookie), sessionBinding: "new-session")
        #expect(guard_.validate(request(cookie: cookie), formToken: signedIn.token, sessionBinding: "new-session"))
        #expect(!guard_.validate(request(cookie: cookie), formToken: signedIn.token, sessionBinding: "other-session"))
        #expect(!guard_.validate(request(cookie: cookie), formToken: signedIn.token))
    }

    @Test func tokenAndCookieFromBeforeARotationStillPass() throws {
        let old = antiforgery(secret: oldSecret)
        let prepared = old.prepare(request(cookie: nil), sessionBinding: "s")
        let cookie = try #require(prepared.setCookie)
        let rotated = antiforgery(previous: [oldSecret])
        #expect(rotated.validate(request(cookie: cookie), formToken: prepared.token, sessionBinding: "s"))
        #expect(!antiforgery().validate(request(cookie: cookie), formToken: prepared.token, sessionBinding: "s"))
    }

    @Test func expiredVisitorCookieIsReplacedAndOldTokensFail() throws {
        let guard_ = antiforgery()
        let first = guard_.prepare(request(cookie: nil))
        let cookie = try #require(first.setCookie)
        clock.advance(by: guard_.visitorLifetime)
        #expect(!guard_.validate(request(cookie: cookie), formToken: first.token))
        #expect(guard_.prepare(request(cookie: cookie)).setCookie != nil)
        #expect(random.calls == 2)
    }

    @Test func visitorCookieIsRenewedPastHalfItsLifeKeepingTheId() throws {
        let guard_ = antiforgery()
        let first = guard_.prepare(request(cookie: nil))
        let cookie = try #require(first.setCookie)
        clock.advance(by: guard_.visitorLifetime / 2 + 1)
        let renewed = guard_.prepare(request(cookie: cookie))
        let newCookie = try #require(renewed.setCookie)
        #expect(renewed.token == first.token)
        #expect(random.calls == 1)
        clock.advance(by: guard_.visitorLifetime / 2)
        #expect(guard_.validate(request(cookie: newCookie), formToken: first.token))
    }

    @Test func formFieldConvenience() throws {
        let guard_ = antiforgery(secure: false)
        let prepared = guard_.prepare(request(cookie: nil))
        let cookie = try #require(prepared.setCookie)
        #expect(cookie.hasPrefix("Countersign.Antiforgery="))
        #expect(!cookie.contains("Secure"))
        let good = try FormDecoder.decode("Email=a&__RequestVerificationToken=\(prepared.token)")
        #expect(guard_.validate(request(cookie: cookie), form: good))
        let twice = try FormDecoder.decode("__RequestVerificationToken=\(prepared.token)&__RequestVerificationToken=\(prepared.token)")
        #expect(!guard_.validate(request(cookie: cookie), form: twice))
        #expect(!guard_.validate(request(cookie: cookie), form: try FormDecoder.decode("Email=a")))
    }
}

@Suite struct OriginCheckTests {
    func request(_ headers: HTTPHeaders) -> Request {
        Request(method: "POST", path: "/Account/Login", headers: headers)
    }

    @Test(arguments: [
        (HTTPHeaders(), true),
        (["Origin": "https://example.com"], true),
        (["Origin": "HTTPS://Example.COM"], true),
        (["Origin": "https://example.com:443"], true),
        (["Origin": "https://evil.example"], false),
        (["Origin": "http://example.com"], false),
        (["Origin": "https://example.com:8443"], false),
        (["Origin": "https://example.com.evil.example"], false),
        (["Origin": "https://example.com/"], false),
        (["Origin": "null"], false),
        (["Origin": ""], false),
        (["Origin": "https://user@example.com"], false),
        (["Referer": "https://example.com/Account/Login?ReturnUrl=%2F"], true),
        (["Referer": "https://example.com"], true),
        (["Referer": "https://evil.example/https://example.com/"], false),
        (["Referer": "https://example.com@evil.example/"], false),
        (["Referer": "https://example.com\\@evil.example/"], false),
        (["Referer": "not a url"], false),
        (["Origin": "https://example.com", "Referer": "https://evil.example/"], true),
        (["Origin": "https://evil.example", "Referer": "https://example.com/"], false),
    ] as [(HTTPHeaders, Bool)])
    func originMustMatchBaseURL(headers: HTTPHeaders, allowed: Bool) {
        #expect(Antiforgery.originAllowed(request(headers), baseURL: "https://example.com") == allowed)
    }

    @Test func baseURLWithPortAndPath() {
        let base = "http://127.0.0.1:8080/site/"
        #expect(Antiforgery.originAllowed(request(["Origin": "http://127.0.0.1:8080"]), baseURL: base))
        #expect(!Antiforgery.originAllowed(request(["Origin": "http://127.0.0.1"]), baseURL: base))
        #expect(Antiforgery.originAllowed(request(["Origin": "http://[::1]:8080"]), baseURL: "http://[::1]:8080"))
        #expect(!Antiforgery.originAllowed(request(["Origin": "https://example.com"]), baseURL: "ftp://example.com"))
    }
}
