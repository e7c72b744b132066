import Crypto
import Foundation
import Testing
import Timekeeping
import Web
@testable import Countersign

/// The session cookie is sealed with `cookies.secret` (rotation signs everyone out), and a
/// session re-issued after a phone verification ends when the original would have.
@Suite struct SessionSecurityTests {
    @Test func aSessionSignedWithADroppedSecretIsRefused() throws {
        let app = try TestApp()
        try app.signedInUser()
        #expect(app.get("/Account/Manage").status == 200)
        let value = try #require(app.cookies["Countersign.Session"])
        let current = SignedCookieCodec(secret: Array(TestApp.secret.utf8), clock: app.clock)
        let id = try #require(current.open(value, purpose: SignInSessions.purpose))

        // The same session id, sealed with a secret the site no longer has.
        let dropped = SignedCookieCodec(secret: Array("an old secret that was rotated away, 32+ bytes".utf8), clock: app.clock)
        app.cookies["Countersign.Session"] = dropped.seal(id, purpose: SignInSessions.purpose, lifetime: 3600)
        #expect(app.get("/Account/Manage").status == 303)
        // Nor is the bare id accepted (the format before sealing).
        app.cookies["Countersign.Session"] = String(decoding: id, as: UTF8.self)
        #expect(app.get("/Account/Manage").status == 303)
        // The genuine cookie still works.
        app.cookies["Countersign.Session"] = value
        #expect(app.get("/Account/Manage").status == 200)
    }

    @Test func aSessionReissuedAfterPhoneVerificationKeepsItsAbsoluteEnd() throws {
        let app = try TestApp(extra: "[session]\nlifetime = 1d\nidle_timeout = 1d\n[sms]\nprovider = file\npath = sms.jsonl")
        try app.signedInUser()
        app.clock.advance(by: 12 * 3600)
        let sent = try app.post("/Account/SendPhoneVerificationCode", [("PhoneNumber", "+12015550123")], formPage: "/Account/ConfirmPhoneNumber")
        #expect(sent.status == 303)
        let verified = try app.post("/Account/VerifyPhoneNumber", [("Token", try lastCode(app))])
        #expect(verified.header("Location") == "/Account/PhoneVerificationSuccessful")
        #expect(app.get("/Account/Manage").status == 200)
        app.clock.advance(by: 12 * 3600 - 1)
        #expect(app.get("/Account/Manage").status == 200)
        app.clock.advance(by: 1)
        #expect(app.get("/Account/Manage").status == 303)
    }

    private func lastCode(_ app: TestApp) throws -> String {
        let text = try String(contentsOfFile: app.folder + "/sms.jsonl", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").last)
        let message = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let body = try #require(message["body"] as? String)
        let hash = try #require(body.lastIndex(of: "#"))
        return String(body[body.index(after: hash)...])
    }
}
