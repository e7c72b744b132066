import SQLiteStorage
import Foundation
import Testing
import Web
@testable import Countersign

/// Replacing and removing a verified phone, and the personal-data page, download and deletion.
@Suite struct PhoneChangeAndPersonalDataTests {
    func send(_ app: TestApp, _ number: String, password: String?) throws -> Response {
        var fields = [("PhoneNumber", number)]
        if let password { fields.append(("CurrentPassword", password)) }
        return try app.post("/Account/SendPhoneVerificationCode", fields, formPage: "/Account/ConfirmPhoneNumber")
    }

    @Test func replacingAVerifiedNumberNeedsThePasswordAndKeepsTheOldOneUntilVerified() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        let texts = try app.texts().count
        let missing = try send(app, "+12015550199", password: nil)
        #expect(missing.status == 422)
        #expect(missing.text.contains("aria-describedby=\"CurrentPassword-hint CurrentPassword-error\""))
        let wrong = try send(app, "+12015550199", password: "not-my-password")
        #expect(wrong.status == 422)
        #expect(try app.user().accessFailedCount == 2)
        #expect(try app.texts().count == texts)
        // The same verified number again needs no password.
        #expect(try send(app, "+12015550123", password: nil).status == 303)
        let right = try send(app, "+12015550199", password: TestApp.password)
        #expect(right.status == 303)
        #expect(try app.user().phoneNumber == "+12015550123")
        #expect(try app.user().phoneNumberConfirmed)
        let mails = try app.emails().count
        #expect(try app.post("/Account/VerifyPhoneNumber", [("Token", try app.lastCode())]).status == 303)
        #expect(try app.user().phoneNumber == "+12015550199")
        let notice = try #require(try app.emails().last)
        #expect(try app.emails().count == mails + 1)
        #expect((notice["subject"] as? String)?.contains("phone number was changed") == true)
        #expect((notice["text"] as? String)?.contains("203.0.113.9") == true)
    }

    @Test func removingThePhoneNeedsThePasswordAndTurnsTwoFactorOff() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        _ = try app.enableTwoFactor()
        let wrong = try app.post("/Account/RemovePhoneNumber", [("CurrentPassword", "nope-nope-nope")], formPage: "/Account/ConfirmPhoneNumber")
        #expect(wrong.status == 422)
        #expect(try app.user().phoneNumber != nil)
        let stamp = try app.user().securityStamp
        let removed = try app.post("/Account/RemovePhoneNumber", [("CurrentPassword", TestApp.password)], formPage: "/Account/ConfirmPhoneNumber")
        #expect(removed.status == 303)
        #expect(removed.header("Location") == "/Account/Manage")
        let user = try app.user()
        #expect(user.phoneNumber == nil && !user.phoneNumberConfirmed && !user.twoFactorEnabled && user.securityStamp != stamp)
        #expect(app.isSignedIn)
        #expect((try app.emails().last?["subject"] as? String)?.contains("removed") == true)
    }

    @Test func thePageAndTheDownloadShowTheDataButNoSecrets() throws {
        let app = try TestApp.withSms()
        try app.signedInUser()
        let page = app.get("/Account/PersonalData")
        #expect(page.status == 200)
        #expect(page.text.contains("ada@example.com"))
        #expect(page.text.contains("203.0.113.9"))
        let download = try app.post("/Account/DownloadPersonalData", [], formPage: "/Account/PersonalData")
        #expect(download.status == 200)
        #expect(download.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(download.header("Content-Disposition") == "attachment; filename=PersonalData.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(download.body)) as? [String: Any])
        let user = try #require(json["user"] as? [String: Any])
        #expect(user["Email"] as? String == "ada@example.com")
        #expect(user["PhoneNumberConfirmed"] as? Bool == false)
        for secret in ["PasswordHash", "SecurityStamp", "ConcurrencyStamp"] { #expect(user[secret] == nil) }
        let record = try app.user()
        #expect(!download.text.contains(record.passwordHash) && !download.text.contains(record.securityStamp))
        let signIns = try #require(json["signIns"] as? [[String: Any]])
        #expect(signIns.first?["clientAddress"] as? String == "203.0.113.9")
        let events = try #require(json["securityEvents"] as? [[String: Any]])
        #expect(events.contains { $0["kind"] as? String == "signed-in" })
    }

    @Test func deletionNeedsThePasswordAndLeavesNothingButAnonymousEvents() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        _ = try app.enableTwoFactor()
        let id = try app.user().id
        #expect(try app.post("/Account/DeletePersonalData", [("CurrentPassword", "")], formPage: "/Account/PersonalData").status == 422)
        #expect(try app.post("/Account/DeletePersonalData", [("CurrentPassword", "wrong-wrong-wrong")], formPage: "/Account/PersonalData").status == 422)
        let deleted = try app.post("/Account/DeletePersonalData", [("CurrentPassword", TestApp.password)], formPage: "/Account/PersonalData")
        #expect(deleted.status == 303)
        #expect(deleted.header("Location") == "/Account/Login")
        #expect(!app.isSignedIn)
        #expect(try app.services.storage.users.user(id: id) == nil)
        let connection = app.sqliteConnection
        for table in ["countersign_sessions", "countersign_phone_verifications", "countersign_recovery_codes"] {
            #expect(try connection.queryFirst("SELECT COUNT(*) FROM \(table) WHERE user_id = ?", [id]) { $0.int(at: 0) } == 0)
        }
        #expect(try connection.queryFirst("SELECT COUNT(*) FROM countersign_rate_limit_events WHERE key LIKE ?", ["%" + id + "%"]) { $0.int(at: 0) } == 0)
        let events = try app.services.storage.events.events(userId: id, limit: 100)
        #expect(events.contains { $0.kind == "account-deleted" })
        #expect(!events.contains { ($0.detail ?? "").contains("ada@example.com") })
        #expect((try app.emails().last?["subject"] as? String)?.contains("deleted") == true)
        #expect(try app.logIn().status == 422)
    }
}
