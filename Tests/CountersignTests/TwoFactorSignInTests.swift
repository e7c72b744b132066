import SQLiteStorage
import Foundation
import Testing
import Web
@testable import Countersign

/// Two-factor sign-in by SMS in-process (CONTRACT.md §7): the password step, the code step,
/// resend, "remember this browser", recovery codes, and the half-signed-in state.
@Suite struct TwoFactorSignInTests {
    /// A user with two-factor on, signed out; returns the app and the recovery codes.
    static func twoFactorUser(_ extra: String = "") throws -> (TestApp, [String]) {
        let app = try TestApp.withSms(extra)
        try app.signedInWithVerifiedPhone()
        let codes = try app.enableTwoFactor()
        try app.logOut()
        return (app, codes)
    }

    @Test func enablingShowsTheConfiguredNumberOfRecoveryCodesOnce() throws {
        let app = try TestApp.withSms("[twofactor]\nrecovery_codes = 4\n")
        try app.signedInWithVerifiedPhone()
        let codes = try app.enableTwoFactor()
        #expect(codes.count == 4)
        #expect(Set(codes).count == 4)
        #expect(codes.allSatisfy { $0.count == 11 && $0.dropFirst(5).first == "-" })
        #expect(try app.user().twoFactorEnabled)
        let page = app.get("/Account/TwoFactorAuthentication")
        #expect(page.text.contains("Recovery codes left: <strong>4</strong>"))
        #expect(TestApp.recoveryCodes(in: page.text).isEmpty)
        // Stored only as keyed hashes.
        let stored = try app.sqliteConnection.query("SELECT code_hash FROM countersign_recovery_codes", []) { $0.string(at: 0) }
        #expect(stored.count == 4 && stored.allSatisfy { !codes.contains($0) && $0.count == 64 })
    }

    @Test func enablingWithoutAVerifiedPhoneSendsToConfirmPhoneNumber() throws {
        let app = try TestApp.withSms()
        try app.signedInUser()
        let response = try app.post("/Account/EnableTwoFactor", [], formPage: "/Account/TwoFactorAuthentication")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/ConfirmPhoneNumber")
        #expect(try app.user().twoFactorEnabled == false)
    }

    @Test func theRightPasswordLeadsToTheCodeAndIsNotASignIn() throws {
        let (app, _) = try Self.twoFactorUser()
        let before = try app.texts().count
        let response = try app.logIn(returnURL: "/Account/PersonalData")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/Account/LoginWith2fa?ReturnUrl=%2FAccount%2FPersonalData")
        #expect(try app.texts().count == before + 1)
        #expect(try app.texts().last?.to == "+12015550123")
        #expect(!app.isSignedIn)
        #expect(app.get("/Account/Manage").status == 303)
        #expect(app.get("/Account/LoginWith2fa").status == 200)
    }

    @Test func aWrongCodeThenAResendThenTheRightCodeSignsIn() throws {
        let (app, _) = try Self.twoFactorUser()
        try app.logIn(returnURL: "/Account/TwoFactorAuthentication")
        let first = try app.lastCode()
        let wrong = try app.post("/Account/LoginWith2fa", [("TwoFactorCode", first == "000000" ? "111111" : "000000")])
        #expect(wrong.status == 422)
        #expect(wrong.text.contains("Invalid authenticator code."))
        #expect(!app.isSignedIn)
        let resent = try app.post("/Account/ResendTwoFactorCode", [], formPage: "/Account/LoginWith2fa")
        #expect(resent.status == 303)
        let second = try app.lastCode()
        let right = try app.post("/Account/LoginWith2fa", [("TwoFactorCode", second)])
        #expect(right.status == 303)
        #expect(right.header("Location") == "/Account/TwoFactorAuthentication")
        #expect(app.isSignedIn)
    }

    @Test func aCodeWorksOnceAndMissingOrExpiredCodesAreRefused() throws {
        let (app, _) = try Self.twoFactorUser()
        try app.logIn()
        let code = try app.lastCode()
        #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", "")]).status == 422)
        app.clock.advance(by: 601)
        // The half-signed-in cookie lives tokens.lifetime too: back to the password.
        let late = try app.post("/Account/LoginWith2fa", [("TwoFactorCode", code)], token: .none)
        #expect(late.status == 400 || late.header("Location") == "/Account/Login")
        #expect(!app.isSignedIn)
        try app.logIn()
        let fresh = try app.lastCode()
        #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", fresh)]).status == 303)
        try app.logOut()
        // Replayed in a new half-signed-in state: refused.
        try app.logIn()
        let replay = try app.post("/Account/LoginWith2fa", [("TwoFactorCode", fresh)])
        #expect(replay.status == 422)
    }

    @Test func aPhoneVerificationCodeIsNoSignInCode() throws {
        let app = try TestApp.withSms()
        try app.signedInWithVerifiedPhone()
        _ = try app.enableTwoFactor()
        // A verification of another number is pending with its own code.
        try app.post("/Account/SendPhoneVerificationCode", [("PhoneNumber", "+12015550199"), ("CurrentPassword", TestApp.password)],
                     formPage: "/Account/ConfirmPhoneNumber")
        let phoneCode = try app.lastCode()
        try app.logOut()
        try app.logIn()
        let signInCode = try app.lastCode()
        if phoneCode != signInCode {
            #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", phoneCode)]).status == 422)
        }
        #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", signInCode)]).status == 303)
        // And the sign-in code never verifies a number.
        let stillPending = try #require(try app.services.phoneVerifier.pending(userId: app.user().id))
        #expect(stillPending.phoneNumber == "+12015550199")
    }

    @Test func rememberThisBrowserSkipsTheCodeUntilThePasswordChanges() throws {
        let (app, _) = try Self.twoFactorUser()
        try app.logIn()
        #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", try app.lastCode()), ("RememberMachine", "true"),
                                                       ("RememberMachine", "false")]).status == 303)
        try app.logOut()
        let texts = try app.texts().count
        let again = try app.logIn()
        #expect(again.header("Location") == "/Account/Manage")
        #expect(try app.texts().count == texts)
        // A remembered browser still needs the password.
        try app.logOut()
        #expect(try app.logIn(password: "wrong-password-123").status == 422)
        try app.logIn()
        let changed = try app.post("/Account/ChangePassword", [("CurrentPassword", TestApp.password), ("NewPassword", "another-Long-pass-99"),
                                                               ("ConfirmPassword", "another-Long-pass-99")])
        #expect(changed.status == 303)
        try app.logOut()
        let afterChange = try app.logIn(password: "another-Long-pass-99")
        #expect(afterChange.header("Location")?.hasPrefix("/Account/LoginWith2fa") == true)
    }

    @Test func aZeroRememberLifetimeNeverRemembers() throws {
        let (app, _) = try Self.twoFactorUser("[twofactor]\nremember_lifetime = 0s\n")
        try app.logIn()
        #expect(!app.get("/Account/LoginWith2fa").text.contains("RememberMachine"))
        let response = try app.post("/Account/LoginWith2fa", [("TwoFactorCode", try app.lastCode()), ("RememberMachine", "true")])
        #expect(response.status == 303)
        try app.logOut()
        #expect(try app.logIn().header("Location")?.hasPrefix("/Account/LoginWith2fa") == true)
    }

    @Test func aRecoveryCodeWorksOnceAndSendsANotice() throws {
        let (app, codes) = try Self.twoFactorUser()
        try app.logIn()
        let mails = try app.emails().count
        let used = try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", codes[0].lowercased())])
        #expect(used.status == 303)
        #expect(app.isSignedIn)
        #expect(try app.emails().count == mails + 1)
        let notice = try #require(try app.emails().last)
        #expect((notice["subject"] as? String)?.contains("recovery code") == true)
        #expect((notice["text"] as? String)?.contains(codes[0]) == false)
        try app.logOut()
        try app.logIn()
        let twice = try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", codes[0])])
        #expect(twice.status == 422)
        #expect(try app.user().accessFailedCount == 1)
        #expect(try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", codes[1])]).status == 303)
        #expect(app.get("/Account/TwoFactorAuthentication").text.contains("Recovery codes left: <strong>\(codes.count - 2)</strong>"))
    }

    @Test func wrongRecoveryCodesLockTheAccount() throws {
        let (app, codes) = try Self.twoFactorUser("[lockout]\nmax_failures = 3\n")
        try app.logIn()
        for _ in 0..<3 {
            #expect(try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", "AAAAA-AAAAA")]).status == 422)
        }
        // Locked: even a right code is refused (and not spent).
        #expect(try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", codes[0])]).status == 422)
        #expect(try app.services.storage.recoveryCodes.count(userId: app.user().id) == codes.count)
    }

    @Test func withoutTheHalfSignedInCookieTheCodePagesGoBackToLogin() throws {
        let app = try TestApp.withSms()
        #expect(app.get("/Account/LoginWith2fa").header("Location") == "/Account/Login")
        #expect(app.get("/Account/LoginWithRecoveryCode").header("Location") == "/Account/Login")
        let token = try app.antiforgeryToken(on: "/Account/Login")
        #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", "123456")], token: .given(token)).header("Location") == "/Account/Login")
        #expect(try app.post("/Account/ResendTwoFactorCode", [], token: .given(token)).header("Location") == "/Account/Login")
    }

    @Test func regeneratingNeedsThePasswordAndVoidsTheOldSet() throws {
        let (app, codes) = try Self.twoFactorUser()
        try app.logIn()
        try app.post("/Account/LoginWith2fa", [("TwoFactorCode", try app.lastCode())])
        let wrong = try app.post("/Account/GenerateRecoveryCodes", [("CurrentPassword", "nope-nope-nope")], formPage: "/Account/TwoFactorAuthentication")
        #expect(wrong.status == 422)
        #expect(wrong.text.contains("aria-describedby=\"GeneratePassword-error\""))
        let fresh = try app.post("/Account/GenerateRecoveryCodes", [("CurrentPassword", TestApp.password)], formPage: "/Account/TwoFactorAuthentication")
        #expect(fresh.status == 200)
        let newCodes = TestApp.recoveryCodes(in: fresh.text)
        #expect(newCodes.count == 10 && Set(newCodes).isDisjoint(with: codes))
        try app.logOut()
        try app.logIn()
        #expect(try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", codes[0])]).status == 422)
        #expect(try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", newCodes[0])]).status == 303)
    }

    @Test func disablingNeedsThePasswordThenVoidsCodesAndRememberedBrowsers() throws {
        let (app, codes) = try Self.twoFactorUser()
        try app.logIn()
        try app.post("/Account/LoginWith2fa", [("TwoFactorCode", try app.lastCode()), ("RememberMachine", "true")])
        #expect(try app.post("/Account/DisableTwoFactor", [("CurrentPassword", "")], formPage: "/Account/TwoFactorAuthentication").status == 422)
        let mails = try app.emails().count
        let off = try app.post("/Account/DisableTwoFactor", [("CurrentPassword", TestApp.password)], formPage: "/Account/TwoFactorAuthentication")
        #expect(off.status == 303)
        #expect(off.header("Location") == "/Account/TwoFactorAuthentication")
        #expect(app.isSignedIn)
        #expect(try app.user().twoFactorEnabled == false)
        #expect(try app.services.storage.recoveryCodes.count(userId: app.user().id) == 0)
        #expect(try app.emails().count == mails + 1)
        // Off: GenerateRecoveryCodes goes back to the page.
        let generate = try app.post("/Account/GenerateRecoveryCodes", [("CurrentPassword", TestApp.password)], formPage: "/Account/TwoFactorAuthentication")
        #expect(generate.header("Location") == "/Account/TwoFactorAuthentication")
        _ = try app.enableTwoFactor()
        try app.logOut()
        // The browser remembered before is not remembered any more.
        #expect(try app.logIn().header("Location")?.hasPrefix("/Account/LoginWith2fa") == true)
        #expect(try app.post("/Account/LoginWithRecoveryCode", [("RecoveryCode", codes[0])]).status == 422)
    }
}

/// The sign-in code under the cooldown of every code, and the half-signed-in state's lifetime.
@Suite struct TwoFactorCodeTimingTests {
    @Test func aRefusedSendIsSaidOnTheCodePageNotHidden() throws {
        let app = try TestApp(extra: "[sms]\nprovider = file\npath = sms.jsonl\n[tokens]\nresend_cooldown = 60s\n")
        try app.signedInWithVerifiedPhone()
        _ = try app.enableTwoFactor()
        try app.logOut()
        // The verification code went out a moment ago: the cooldown refuses the sign-in code.
        let texts = try app.texts().count
        #expect(try app.logIn().header("Location") == "/Account/LoginWith2fa")
        #expect(try app.texts().count == texts)
        #expect(app.get("/Account/LoginWith2fa").text.contains("We could not send a new sign-in code just now"))
        #expect(try app.post("/Account/ResendTwoFactorCode", [], formPage: "/Account/LoginWith2fa").status == 429)
        app.clock.advance(by: 60)
        #expect(try app.post("/Account/ResendTwoFactorCode", [], formPage: "/Account/LoginWith2fa").status == 303)
        #expect(try app.texts().count == texts + 1)
    }

    @Test func aResendKeepsTheHalfSignedInStateAsLongAsTheNewCode() throws {
        let (app, _) = try TwoFactorSignInTests.twoFactorUser()
        try app.logIn()
        app.clock.advance(by: 540)
        #expect(try app.post("/Account/ResendTwoFactorCode", [], formPage: "/Account/LoginWith2fa").status == 303)
        let code = try app.lastCode()
        app.clock.advance(by: 300)  // past the first 10 minutes, within the new code's
        #expect(try app.post("/Account/LoginWith2fa", [("TwoFactorCode", code)]).status == 303)
        #expect(app.isSignedIn)
    }
}
