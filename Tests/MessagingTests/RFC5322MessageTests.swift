import Foundation
@testable import Messaging
import Testing

@Suite struct RFC5322MessageTests {
    let from = MailAddress(parsing: "Countersign <no-reply@example.com>")!

    func render(_ message: EmailMessage) throws -> String {
        try RFC5322Message(from: from, message: message, date: fixedDate, uniqueToken: "0123abcd").rendered()
    }

    @Test func plainTextMessageHasTheHeadersAndOnlyCRLFLineEnds() throws {
        let text = try render(EmailMessage(to: "a@example.com", subject: "Confirm your email", text: "Hello,\nclick here.\n"))
        #expect(text.hasPrefix("""
            From: Countersign <no-reply@example.com>\r
            To: a@example.com\r
            Subject: Confirm your email\r
            Date: Thu, 26 Nov 2026 12:00:00 +0000\r
            Message-ID: <0123abcd@example.com>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=UTF-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Hello,\r
            click here.\r

            """))
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D)
        }
        #expect(!text.contains("multipart"))
    }

    @Test func htmlMakesMultipartAlternativeWithTextFirst() throws {
        let text = try render(EmailMessage(to: "a@example.com", subject: "S", text: "plain body", html: "<p>html body</p>"))
        let boundary = "=_countersign_0123abcd"
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n"))
        let parts = text.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)  // headers, text part, html part, closing "--"
        #expect(parts[1].contains("Content-Type: text/plain; charset=UTF-8") && parts[1].contains("plain body"))
        #expect(parts[2].contains("Content-Type: text/html; charset=UTF-8") && parts[2].contains("<p>html body</p>"))
        #expect(parts[3] == "--\r\n")
    }

    @Test(arguments: [
        EmailMessage(to: "a@example.com", subject: "Hi\r\nBcc: victim@example.com", text: ""),
        EmailMessage(to: "a@example.com", subject: "Hi\nBcc: victim@example.com", text: ""),
        EmailMessage(to: "a@example.com", subject: "Hi\rthere", text: ""),
    ])
    func lineBreakInSubjectIsRefused(message: EmailMessage) {
        #expect(throws: EmailFormatError.lineBreakInHeader(field: "Subject")) { try render(message) }
    }

    @Test(arguments: ["a@example.com\r\nBcc: victim@example.com", "a@example.com\nX: y", "a@example.com\0"])
    func lineBreakInToIsRefused(to: String) {
        #expect(throws: EmailFormatError.lineBreakInHeader(field: "To")) { try render(EmailMessage(to: to, subject: "S", text: "")) }
    }

    @Test(arguments: ["not an address", "a@", "@example.com", "a@b@c", "a@example.com, b@example.com", "<a@example.com"])
    func invalidToIsRefused(to: String) {
        #expect(throws: EmailFormatError.invalidAddress(field: "To")) { try render(EmailMessage(to: to, subject: "S", text: "")) }
    }

    @Test func nonASCIISubjectIsEncodedAndDecodesBack() throws {
        let subject = "Bestätigen Sie Ihre E-Mail-Adresse für Countersign — ✓ 確認してください"
        let text = try render(EmailMessage(to: "a@example.com", subject: subject, text: ""))
        let header = try #require(text.components(separatedBy: "\r\nDate:").first?.components(separatedBy: "Subject: ").last)
        #expect(header.allSatisfy { $0.isASCII })
        let words = header.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = Data()
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            #expect(word.count <= 75)
            decoded += try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // each word holds whole characters
            #expect(String(data: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, encoding: .utf8) != nil)
        }
        #expect(String(data: decoded, encoding: .utf8) == subject)
    }

    @Test func asciiSubjectThatLooksEncodedIsEncoded() {
        #expect(RFC5322Message.subjectValue("=?UTF-8?B?aGk=?=").hasPrefix("=?UTF-8?B?PT9"))
        #expect(RFC5322Message.subjectValue("Plain subject") == "Plain subject")
    }

    @Test func randomTokensDiffer() {
        let token = RFC5322Message.randomToken()
        #expect(token.count == 32)
        #expect(token != RFC5322Message.randomToken())
    }
}

@Suite struct MailAddressTests {
    @Test(arguments: [
        ("a@example.com", nil, "a@example.com", "a@example.com"),
        ("Countersign <no-reply@localhost>", "Countersign", "no-reply@localhost", "Countersign <no-reply@localhost>"),
        ("\"Doe, Jane\" <jane@example.com>", "Doe, Jane", "jane@example.com", "\"Doe, Jane\" <jane@example.com>"),
        ("  <bare@example.com>  ", nil, "bare@example.com", "bare@example.com"),
        ("Say \"hi\" <x@example.com>", "Say \"hi\"", "x@example.com", "\"Say \\\"hi\\\"\" <x@example.com>"),
    ] as [(String, String?, String, String)])
    func parsesAndRenders(text: String, name: String?, address: String, header: String) throws {
        let parsed = try #require(MailAddress(parsing: text))
        #expect(parsed.displayName == name)
        #expect(parsed.address == address)
        #expect(parsed.headerValue == header)
    }

    @Test func nonASCIIDisplayNameIsEncoded() throws {
        let parsed = try #require(MailAddress(parsing: "Zoë Dupré <zoe@example.com>"))
        #expect(parsed.headerValue == "=?UTF-8?B?Wm/DqyBEdXByw6k=?= <zoe@example.com>")
        #expect(parsed.domain == "example.com")
    }

    @Test(arguments: ["", "Name <>", "Name <a@b\r\n>", "Name\r\n <a@b.c>", "a b@example.com", "Name <a@b.c> extra"])
    func refuses(text: String) {
        #expect(MailAddress(parsing: text) == nil)
    }
}

@Suite struct QuotedPrintableTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("a=b", "a=3Db"),
        ("café", "caf=C3=A9"),
        ("trailing space ", "trailing space=20"),
        ("tab\t", "tab=09"),
        (".\nleading dot", "=2E\r\nleading dot"),
        ("From here", "=46rom here"),
        ("Fromage", "Fromage"),
        ("a\r\nb", "a\r\nb"),
        ("bare\rcr", "bare=0Dcr"),
    ])
    func encodes(input: String, expected: String) {
        #expect(QuotedPrintable.encode(input) == expected)
    }

    @Test func longLinesAreSoftBrokenWithinSeventySixCharacters() {
        let url = "https://example.com/Account/ConfirmEmail?UserId=" + String(repeating: "ab12", count: 40) + "&Token=" + String(repeating: "é", count: 30)
        let encoded = QuotedPrintable.encode(url)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.count > 2)
        for line in lines { #expect(line.utf8.count <= 76) }
        // Undo the encoding and get the original back.
        var bytes: [UInt8] = []
        let joined = Array(lines.map { $0.hasSuffix("=") ? String($0.dropLast()) : $0 }.joined().utf8)
        var index = 0
        while index < joined.count {
            if joined[index] == UInt8(ascii: "=") {
                bytes.append(UInt8(String(decoding: joined[index + 1...index + 2], as: UTF8.self), radix: 16)!)
                index += 3
            } else {
                bytes.append(joined[index])
                index += 1
            }
        }
        #expect(String(decoding: bytes, as: UTF8.self) == url)
    }
}
