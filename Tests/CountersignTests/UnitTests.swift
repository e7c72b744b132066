import Config
import Foundation
import Storage
import Testing
import Timekeeping
@testable import Countersign

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("ada@example.com", "ADA@EXAMPLE.COM"),
        ("Ada.Lovelace+tag@Example.COM", "ADA.LOVELACE+TAG@EXAMPLE.COM"),
        ("straße@example.de", "STRAßE@EXAMPLE.DE"),
        ("ß@ß.de", "ß@ß.DE"),
        ("émile@exämple.fr", "ÉMILE@EXÄMPLE.FR"),
        ("iı@example.com", "II@EXAMPLE.COM"),
        ("ﬁle@example.com", "ﬁLE@EXAMPLE.COM"),
        ("ŉ@example.com", "ŉ@EXAMPLE.COM"),
        ("ǆ@example.com", "Ǆ@EXAMPLE.COM"),
        ("δοκιμή@παράδειγμα.gr", "ΔΟΚΙΜΉ@ΠΑΡΆΔΕΙΓΜΑ.GR"),
        ("ALREADY@UPPER.COM", "ALREADY@UPPER.COM"),
        ("1234@example.com", "1234@EXAMPLE.COM"),
    ])
    func normalizeIsUpperInvariantOneScalarForOne(_ address: String, _ normalized: String) {
        #expect(EmailAddress.normalize(address) == normalized)
        #expect(EmailAddress.normalize(address).unicodeScalars.count == address.unicodeScalars.count)
    }

    @Test func normalizeUsesTheSimpleMappingWhereTheFullOneIsLonger() {
        // .NET's ToUpperInvariant uses the simple mapping of UnicodeData.txt: U+1F80 → U+1F88.
        #expect(EmailAddress.normalize("\u{1F80}@example.gr") == "\u{1F88}@EXAMPLE.GR")
        #expect(EmailAddress.normalize("\u{1FB3}\u{1FC3}\u{1FF3}@example.gr") == "\u{1FBC}\u{1FCC}\u{1FFC}@EXAMPLE.GR")
        // Already the simple uppercase (the titlecase letter): unchanged, not expanded.
        #expect(EmailAddress.normalize("\u{1F88}@example.gr") == "\u{1F88}@EXAMPLE.GR")
    }

    @Test(arguments: ["a@b.co", "first.last+tag@example.com", "ü@exämple.de", "a@sub.domain.example", "o'brien@example.ie", "x@xn--bcher-kva.example"])
    func validAddresses(_ address: String) {
        #expect(EmailAddress.problem(with: address) == nil)
    }

    @Test(arguments: [
        "no-at-sign", "a@b", "@example.com", "a@", "a@@example.com", "a@b@example.com", "a b@example.com", "a@exa mple.com",
        "a@example..com", "a@.example.com", "a@example.com.", "a@-example.com", "a@example-.com", "<a>@example.com",
        "a,b@example.com", "a;b@example.com", "\"a\"@example.com", "a\u{0}@example.com", "a\n@example.com", "a\u{7F}@example.com",
        "a\u{A0}b@example.com", String(repeating: "x", count: 65) + "@example.com", " a@example.com",
    ])
    func invalidAddresses(_ address: String) {
        #expect(EmailAddress.problem(with: address) == "The Email field is not a valid e-mail address.")
    }

    @Test func emptyAndTooLongHaveTheirOwnMessages() {
        #expect(EmailAddress.problem(with: "") == "The Email field is required.")
        let longest = String(repeating: "x", count: 64) + "@" + String(repeating: "d", count: 187) + ".com"
        #expect(longest.count == 256)
        #expect(EmailAddress.problem(with: longest) == nil)
        #expect(EmailAddress.problem(with: "x" + longest) == "The Email field must be at most 256 characters.")
    }
}

@Suite struct ReturnURLTests {
    @Test(arguments: ["/", "/Account/Manage", "/Account/Manage?tab=phone&x=1", "/a/b//c", "/%2F%2Fevil.example", "/über", "/" + String(repeating: "a", count: 2047)])
    func localPaths(_ value: String) {
        #expect(ReturnURL.isLocal(value))
    }

    @Test(arguments: [
        "", "Account/Manage", "//evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
        "http://example.com/Account", "javascript:alert(1)", " /Account", "/a\nb", "/a\rb", "/\t/evil.example", "/a\u{0}b", "/a\u{7F}",
        "/" + String(repeating: "a", count: 2048),
    ])
    func notLocal(_ value: String) {
        #expect(!ReturnURL.isLocal(value))
    }
}

@Suite struct EmailConfirmationLinksTests {
    static let secret = String(repeating: "s", count: 32)
    static let oldSecret = String(repeating: "o", count: 32)
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func links(secret: String = secret, previous: [String] = [], lifetime: TimeInterval = 86_400) -> EmailConfirmationLinks {
        var text = "[cookies]\nsecret = \(secret)\n"
        if !previous.isEmpty { text += "previous_secrets = \(previous.joined(separator: ","))\n" }
        let config = Config(text: text, file: "test.conf", environment: [:])
        let cookies = CookieSettings(config: config)
        precondition(config.problems.isEmpty, "\(config.problems)")
        return EmailConfirmationLinks(cookies: cookies, lifetime: lifetime)
    }

    static let user = UserRecord(
        id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", userName: "ada@example.com", normalizedUserName: "ADA@EXAMPLE.COM",
        email: "ada@example.com", normalizedEmail: "ADA@EXAMPLE.COM", passwordHash: "x",
        securityStamp: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", concurrencyStamp: "c", firstName: "Ada"
    )

    @Test func aFreshTokenIsValidUntilItsLifetimeEnds() {
        let links = Self.links()
        let token = links.token(for: Self.user, now: Self.now)
        #expect(links.check(token, for: Self.user, now: Self.now) == .valid)
        #expect(links.check(token, for: Self.user, now: Self.now.addingTimeInterval(86_399)) == .valid)
        #expect(links.check(token, for: Self.user, now: Self.now.addingTimeInterval(86_400)) == .expired)
        #expect(links.check(token, for: Self.user, now: Self.now.addingTimeInterval(86_401)) == .expired)
    }

    @Test func everyChangedCharacterMakesItInvalid() {
        let links = Self.links()
        let token = Array(links.token(for: Self.user, now: Self.now))
        // The last character carries unused bits, so it is left out.
        for index in token.indices.dropLast() {
            var tampered = token
            tampered[index] = tampered[index] == "A" ? "B" : "A"
            #expect(links.check(String(tampered), for: Self.user, now: Self.now) == .invalid, "character \(index)")
        }
    }

    @Test(arguments: ["", "A", "not base64!", String(repeating: "A", count: 54), String(repeating: "A", count: 60)])
    func garbageIsInvalid(_ token: String) {
        #expect(Self.links().check(token, for: Self.user, now: Self.now) == .invalid)
    }

    @Test func aLaterExpiryCannotBeWrittenIn() throws {
        let links = Self.links()
        let token = links.token(for: Self.user, now: Self.now)
        var bytes = try #require(Base64URLForTests.decode(token))
        bytes[7] &+= 100
        #expect(links.check(Base64URLForTests.encode(bytes), for: Self.user, now: Self.now) == .invalid)
    }

    @Test func anExpiredForgeryIsInvalidNotExpired() throws {
        let links = Self.links()
        let token = links.token(for: Self.user, now: Self.now)
        var bytes = try #require(Base64URLForTests.decode(token))
        bytes[20] ^= 1
        #expect(links.check(Base64URLForTests.encode(bytes), for: Self.user, now: Self.now.addingTimeInterval(10 * 86_400)) == .invalid)
    }

    @Test func boundToTheSecurityStampTheAddressAndTheUser() {
        let links = Self.links()
        let token = links.token(for: Self.user, now: Self.now)
        var restamped = Self.user
        restamped.securityStamp = "ZYXWVUTSRQPONMLKJIHGFEDCBA765432"
        #expect(links.check(token, for: restamped, now: Self.now) == .invalid)
        var readdressed = Self.user
        readdressed.normalizedEmail = "GRACE@EXAMPLE.COM"
        #expect(links.check(token, for: readdressed, now: Self.now) == .invalid)
        var other = Self.user
        other.id = "00000000-0000-0000-0000-000000000001"
        #expect(links.check(token, for: other, now: Self.now) == .invalid)
    }

    @Test func aPreviousSecretIsStillAcceptedAfterARotation() {
        let before = Self.links(secret: Self.oldSecret)
        let token = before.token(for: Self.user, now: Self.now)
        #expect(Self.links(secret: Self.secret, previous: [Self.oldSecret]).check(token, for: Self.user, now: Self.now) == .valid)
        #expect(Self.links(secret: Self.secret).check(token, for: Self.user, now: Self.now) == .invalid)
        // New links are made with the current secret.
        let after = Self.links(secret: Self.secret, previous: [Self.oldSecret]).token(for: Self.user, now: Self.now)
        #expect(Self.links(secret: Self.secret).check(after, for: Self.user, now: Self.now) == .valid)
        #expect(before.check(after, for: Self.user, now: Self.now) == .invalid)
    }

    @Test func theLifetimeIsWrittenIntoTheToken() {
        let short = Self.links(lifetime: 600)
        let token = short.token(for: Self.user, now: Self.now)
        // A worker with a longer configured lifetime still honours what the link says.
        #expect(Self.links(lifetime: 86_400).check(token, for: Self.user, now: Self.now.addingTimeInterval(601)) == .expired)
    }
}

/// base64url without padding, written out here so the tests do not trust the code under test.
enum Base64URLForTests {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}

@Suite struct RegisterFormNameTests {
    @Test(arguments: ["Ada", "Jürgen", "Ørsted-Ñúñez 李", "O'Brien", "' OR 1=1 --", String(repeating: "x", count: 100)])
    func acceptable(_ name: String) {
        #expect(RegisterForm.problem(withName: name, label: "First Name") == nil)
    }

    @Test(arguments: ["a\u{0}b", "\u{1B}[31m", "tab\there", "two\nlines", "cr\rlf", "next\u{85}line", "line\u{2028}sep", "para\u{2029}sep", "del\u{7F}"])
    func controlCharactersAndLineBreaksAreRefused(_ name: String) {
        #expect(RegisterForm.problem(withName: name, label: "Last Name") == "The Last Name field cannot contain line breaks or control characters.")
    }

    @Test func longNamesAreRefused() {
        #expect(RegisterForm.problem(withName: String(repeating: "x", count: 101), label: "First Name") == "The First Name field must be at most 100 characters.")
    }
}
