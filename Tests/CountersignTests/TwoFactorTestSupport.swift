import Foundation
import Testing
import Storage
import Web
@testable import Countersign

/// SMS to a file, so tests read the codes; helpers for users with a verified phone and two-factor.
extension TestApp {
    static let smsConfig = "[sms]\nprovider = file\npath = sms.jsonl\nwebotp = false\n[tokens]\nresend_cooldown = 0s\n"

    static func withSms(_ extra: String = "") throws -> TestApp {
        try TestApp(extra: smsConfig + extra)
    }

    /// Every text the `file` SMS provider wrote, oldest first.
    func texts() throws -> [(to: String, body: String)] {
        let path = folder + "/sms.jsonl"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            let object = try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            return (object["to"] as? String ?? "", object["body"] as? String ?? "")
        }
    }

    /// The digits of the newest text.
    func lastCode() throws -> String {
        let body = try #require(try texts().last?.body, "no text message was sent")
        let words = body.split { !$0.isNumber }
        return String(words.first { $0.count >= 6 } ?? "")
    }

    /// Registers, confirms, signs in and verifies the phone number +12015550123.
    func signedInWithVerifiedPhone(email: String = "ada@example.com") throws {
        try signedInUser(email: email)
        let sent = try post("/Account/SendPhoneVerificationCode", [("PhoneNumber", "+12015550123")], formPage: "/Account/ConfirmPhoneNumber")
        try #require(sent.status == 303, "send answered \(sent.status)")
        let verified = try post("/Account/VerifyPhoneNumber", [("Token", try lastCode())])
        try #require(verified.header("Location") == "/Account/PhoneVerificationSuccessful", "verify answered \(verified.status)")
    }

    /// Turns two-factor on from the settings page; returns the recovery codes shown.
    func enableTwoFactor() throws -> [String] {
        let response = try post("/Account/EnableTwoFactor", [], formPage: "/Account/TwoFactorAuthentication")
        try #require(response.status == 200, "EnableTwoFactor answered \(response.status)")
        return Self.recoveryCodes(in: response.text)
    }

    static func recoveryCodes(in html: String) -> [String] {
        html.components(separatedBy: "<code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }
    }

    func logOut() throws {
        let response = try post("/Account/Logout", [], formPage: "/Account/Manage")
        try #require(response.status == 303)
    }

    var isSignedIn: Bool { self.get("/Account/Auth").status == 200 }

    func user(_ email: String = "ada@example.com") throws -> UserRecord {
        try #require(try services.storage.users.user(normalizedEmail: email.uppercased()))
    }
}
