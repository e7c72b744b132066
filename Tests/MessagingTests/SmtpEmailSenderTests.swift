import Foundation
@testable import Messaging
import Testing
import Timekeeping

@Suite struct SmtpEmailSenderTests {
    func sender(url: String, extra: String = "") -> SmtpEmailSender {
        let config = makeConfig("""
            [email]
            provider = smtp
            url = \(url)
            allow_plaintext = true
            from = Countersign <no-reply@example.com>
            \(extra)
            """)
        let sender = SmtpEmailSender(config: config, clock: ManualClock(fixedDate), timeouts: HTTPTimeouts(connect: .seconds(2), total: .seconds(5)))
        #expect(config.problems.isEmpty)
        return sender
    }

    @Test func submitsEnvelopeAndMessage() throws {
        let server = try FakeSMTPServer()
        defer { server.stop() }

        try sender(url: server.url).send(EmailMessage(to: "Jane <jane@example.org>", subject: "Confirm your email", text: "Line one\n.\nLine three", html: "<p>hi</p>"))

        let session = try #require(server.sessions(waitingFor: 1).first)
        #expect(session.commands.first?.hasPrefix("EHLO ") == true)
        #expect(session.mailFrom == "<no-reply@example.com>")
        #expect(session.recipients == ["<jane@example.org>"])
        #expect(session.authPlain == nil)
        let data = try #require(session.data)
        #expect(data.hasPrefix("From: Countersign <no-reply@example.com>\r\nTo: Jane <jane@example.org>\r\nSubject: Confirm your email\r\n"))
        #expect(data.contains("\r\nLine one\r\n=2E\r\nLine three\r\n"))
        #expect(data.contains("<p>hi</p>"))
        #expect(session.commands.last == "QUIT")
    }

    @Test func authenticatesWhenCredentialsAreSet() throws {
        let server = try FakeSMTPServer(offerAuth: true)
        defer { server.stop() }
        try sender(url: server.url, extra: "username = mailer\npassword = s3cret").send(EmailMessage(to: "a@example.com", subject: "s", text: "t"))
        let encoded = try #require(server.sessions(waitingFor: 1).first?.authPlain)
        let decoded = try #require(Data(base64Encoded: encoded))
        #expect(String(decoding: decoded, as: UTF8.self) == "\0mailer\0s3cret")
    }

    @Test func refusedRecipientIsAnErrorWithTheReplyCode() throws {
        let server = try FakeSMTPServer(rejectRecipients: true)
        defer { server.stop() }
        let error = #expect(throws: EmailSendError.self) {
            try sender(url: server.url).send(EmailMessage(to: "nobody@example.com", subject: "s", text: "t"))
        }
        #expect(error?.reason.contains("550") == true)
        let session = try #require(server.sessions(waitingFor: 1).first)
        #expect(session.recipients == ["<nobody@example.com>"])
        #expect(session.data == nil)
    }

    @Test func plaintextIsRefusedUnlessAllowed() throws {
        let server = try FakeSMTPServer()
        defer { server.stop() }
        let config = makeConfig("[email]\nprovider = smtp\nurl = \(server.url)\nusername = u\npassword = p\n")
        let sender = SmtpEmailSender(config: config, clock: ManualClock(fixedDate), timeouts: HTTPTimeouts(connect: .seconds(2), total: .seconds(5)))
        let error = #expect(throws: EmailSendError.self) { try sender.send(EmailMessage(to: "a@example.com", subject: "s", text: "t")) }
        #expect(error?.provider == "smtp")
        #expect(error?.reason.contains("SSL") == true)
        let session = try #require(server.sessions(waitingFor: 1).first)
        #expect(session.commands.first?.hasPrefix("EHLO") == true)
        #expect(session.mailFrom == nil)
        #expect(session.authPlain == nil)  // the password never went out in the clear
    }

    @Test func headerInjectionIsRefusedBeforeConnecting() throws {
        let server = try FakeSMTPServer()
        defer { server.stop() }
        #expect(throws: EmailFormatError.lineBreakInHeader(field: "Subject")) {
            try sender(url: server.url).send(EmailMessage(to: "a@example.com", subject: "s\r\nBcc: x@example.com", text: "t"))
        }
        // A good message after it: the server takes connections in order, so its session being
        // the first and only one shows the refused message never connected.
        try sender(url: server.url).send(EmailMessage(to: "b@example.com", subject: "fine", text: "t"))
        let sessions = server.sessions(waitingFor: 1)
        #expect(sessions.count == 1)
        #expect(sessions.first?.recipients == ["<b@example.com>"])
    }

    @Test(arguments: [
        ("url = https://mail.example.com\n", "email.url: must start with smtps:// or smtp://"),
        ("url = smtps://mail.example.com\nusername = u\n", "email.username: is set but email.password is not"),
        ("url = smtps://mail.example.com\npassword = p\n", "email.password: is set but email.username is not"),
        ("", "missing key email.url, required by email.provider = smtp"),
        ("url = smtps://mail.example.com\nallow_plaintext = maybe\n", "email.allow_plaintext must be true or false"),
        ("url = smtps://mail.example.com\nfrom = not an address\n", "email.from: must be an address"),
    ])
    func configProblems(settings: String, problem: String) {
        let config = makeConfig("[email]\nprovider = smtp\n" + settings)
        _ = SmtpEmailSender(config: config)
        #expect(config.problemMessages.count == 1)
        #expect(config.problemMessages.first?.contains(problem) == true)
    }
}
