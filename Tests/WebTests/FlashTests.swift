import Foundation
import Testing
import Timekeeping
@testable import Web

@Suite struct FlashTests {
    let clock = ManualClock()
    var codec: SignedCookieCodec { SignedCookieCodec(secret: Array(repeating: 7, count: 32), clock: clock) }

    func request(cookie: String?) -> Request {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: "Cookie", value: cookie) }
        return Request(method: "GET", path: "/Account/Manage", headers: headers)
    }

    /// The `name=value` part of a Set-Cookie value, as the browser would send it back.
    func sentBack(_ setCookie: String) -> String {
        String(setCookie.split(separator: ";")[0])
    }

    @Test func encodingRoundTrips() {
        let messages = [FlashMessage(.success, "PhoneVerified"), FlashMessage(.error, "Code.Expired"), FlashMessage(.info, "a-b_c")]
        #expect(Flash.encode(messages) == Array("s:PhoneVerified\ne:Code.Expired\ni:a-b_c".utf8))
        #expect(Flash.decode(Flash.encode(messages)) == messages)
    }

    @Test(arguments: ["", "x:Key", "s:", "s", "sKey", "s:Key\n", "s:Key\n\ne:Other", "s:Ke y", "s:a@b.c", "S:Key"])
    func decodeRefusesAnythingEncodeDoesNotWrite(text: String) {
        #expect(Flash.decode(Array(text.utf8)) == nil)
    }

    @Test func carriedToTheNextRequestAndShownOnce() throws {
        let flash = Flash(codec: codec, secure: true)
        var redirect = Response.redirect(to: "/Account/VerifyPhoneNumber")
        flash.add([FlashMessage(.success, "CodeSent")], to: &redirect)
        let setCookie = try #require(redirect.header("Set-Cookie"))
        #expect(setCookie.hasPrefix("__Host-Countersign.Flash="))
        #expect(setCookie.hasSuffix("; Path=/; HttpOnly; Secure; SameSite=Lax"))

        var page = Response.html("page")
        let shown = flash.take(from: request(cookie: sentBack(setCookie)), clearingIn: &page)
        #expect(shown == [FlashMessage(.success, "CodeSent")])
        #expect(page.header("Set-Cookie") ==
            "__Host-Countersign.Flash=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax")
    }

    @Test func noCookieNoMessagesNoHeader() {
        var page = Response.html("page")
        #expect(Flash(codec: codec, secure: true).take(from: request(cookie: nil), clearingIn: &page).isEmpty)
        #expect(page.header("Set-Cookie") == nil)
        var redirect = Response.redirect(to: "/")
        Flash(codec: codec, secure: true).add([], to: &redirect)
        #expect(redirect.header("Set-Cookie") == nil)
    }

    @Test func forgedOrExpiredCookiesShowNothingButAreCleared() throws {
        let flash = Flash(codec: codec, secure: false, lifetime: 60)
        #expect(flash.cookieName == "Countersign.Flash")
        var page = Response.html("page")
        #expect(flash.take(from: request(cookie: "Countersign.Flash=forged"), clearingIn: &page).isEmpty)
        #expect(page.header("Set-Cookie")?.hasPrefix("Countersign.Flash=; ") == true)

        let value = sentBack(flash.cookie([FlashMessage(.info, "Hello")]))
        #expect(flash.read(request(cookie: value)) == [FlashMessage(.info, "Hello")])
        clock.advance(by: 60)
        #expect(flash.read(request(cookie: value)).isEmpty)
    }

    @Test func aValueSealedForAnotherPurposeIsNotAFlash() {
        let flash = Flash(codec: codec, secure: false)
        let other = codec.seal(Flash.encode([FlashMessage(.error, "Evil")]), purpose: "antiforgery", lifetime: 60)
        #expect(flash.read(request(cookie: "Countersign.Flash=\(other)")).isEmpty)
    }
}
