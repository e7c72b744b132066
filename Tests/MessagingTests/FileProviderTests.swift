import Config
import Foundation
@testable import Messaging
import Testing
import Timekeeping

@Suite struct FileProviderTests {
    @Test func smsLineHasExactlyTheContractFields() throws {
        let dir = try TemporaryDirectory()
        let config = makeConfig("[sms]\nprovider = file\npath = outbox/sms.jsonl\n", directory: dir.path)
        try FileManager.default.createDirectory(atPath: dir.file("outbox"), withIntermediateDirectories: true)
        let sender = FileSmsSender(config: config, clock: ManualClock(fixedDate))
        #expect(config.problems.isEmpty)

        let receipt = try sender.send(SmsMessage(to: "+12015550123", body: "Your code is 123456.\n\n@example.com #123456"))

        #expect(receipt.provider == "file")
        #expect(try dir.read("outbox/sms.jsonl")
            == #"{"to": "+12015550123", "body": "Your code is 123456.\n\n@example.com #123456", "time": "2026-11-26T12:00:00Z"}"# + "\n")
        let objects = try jsonObjects(inFile: dir.file("outbox/sms.jsonl"))
        #expect(objects.count == 1)
        #expect(objects[0]["body"] as? String == "Your code is 123456.\n\n@example.com #123456")
    }

    @Test func emailLinesAppendAndRoundTripAwkwardText() throws {
        let dir = try TemporaryDirectory()
        let config = makeConfig("[email]\nprovider = file\npath = mail.jsonl\n", directory: dir.path)
        let clock = ManualClock(fixedDate)
        let sender = FileEmailSender(config: config, clock: clock)
        let awkward = "quote \" backslash \\ tab \t nul \u{0} bell \u{7} line\u{2028}sep é ✓ 😀 </script>"
        try sender.send(EmailMessage(to: "a@example.com", subject: awkward, text: "text\r\nbody", html: "<p>html</p>"))
        clock.advance(by: 61)
        try sender.send(EmailMessage(to: "b@example.com", subject: "second", text: "t"))

        let objects = try jsonObjects(inFile: dir.file("mail.jsonl"))
        #expect(objects.count == 2)
        #expect(objects[0]["to"] as? String == "a@example.com")
        #expect(objects[0]["subject"] as? String == awkward)
        #expect(objects[0]["text"] as? String == "text\r\nbody")
        #expect(objects[0]["html"] as? String == "<p>html</p>")
        #expect(objects[0]["time"] as? String == "2026-11-26T12:00:00Z")
        #expect(objects[1]["html"] is NSNull)
        #expect(objects[1]["time"] as? String == "2026-11-26T12:01:01Z")
        let firstLine = try dir.read("mail.jsonl").split(separator: "\n")[0]
        #expect(firstLine.hasPrefix(#"{"to": "a@example.com", "subject": "#))
        #expect(firstLine.contains(#""text": "text\r\nbody", "html": "<p>html</p>", "time": "2026-11-26T12:00:00Z"}"#))
    }

    @Test func concurrentAppendsNeverInterleave() throws {
        let dir = try TemporaryDirectory()
        let configText = "[sms]\npath = \(dir.file("sms.jsonl"))\n"
        let threads = 8, perThread = 40
        let bigBody = String(repeating: "0123456789", count: 900)  // 9 kB: more than a pipe buffer page
        let group = DispatchGroup()
        let failures = LogLines()
        for thread in 0..<threads {
            DispatchQueue.global().async(group: group) {
                // One config and sender per thread, as one per worker process.
                let sender = FileSmsSender(config: makeConfig(configText))
                for index in 0..<perThread {
                    do {
                        _ = try sender.send(SmsMessage(to: "+1201555\(1000 + thread)", body: "\(thread)-\(index) \(bigBody)"))
                    } catch {
                        failures.append("\(error)")
                    }
                }
            }
        }
        group.wait()
        #expect(failures.lines.isEmpty)
        let objects = try jsonObjects(inFile: dir.file("sms.jsonl"))
        #expect(objects.count == threads * perThread)
        var seen = Set<String>()
        for object in objects {
            let body = try #require(object["body"] as? String)
            #expect(body.hasSuffix(bigBody))
            seen.insert(String(body.prefix { $0 != " " }))
        }
        #expect(seen.count == threads * perThread)
    }

    @Test func outboxIsCreatedPrivate() throws {
        let dir = try TemporaryDirectory()
        let sender = FileSmsSender(config: makeConfig("[sms]\npath = \(dir.file("sms.jsonl"))\n"))
        _ = try sender.send(SmsMessage(to: "+12015550123", body: "x"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("sms.jsonl"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func unwritablePathIsAnError() throws {
        let sms = FileSmsSender(config: makeConfig("[sms]\npath = /nonexistent/dir/sms.jsonl\n"))
        let error = #expect(throws: SmsSendError.self) { try sms.send(SmsMessage(to: "+12015550123", body: "code 123456")) }
        #expect(error?.detail.contains("/nonexistent/dir/sms.jsonl") == true)
        #expect(error?.detail.contains("123456") == false)

        let email = FileEmailSender(config: makeConfig("[email]\npath = /nonexistent/dir/mail.jsonl\n"))
        #expect(throws: EmailSendError.self) { try email.send(EmailMessage(to: "a@example.com", subject: "s", text: "t")) }
    }

    @Test func missingPathIsAConfigProblem() {
        let sms = makeConfig("[sms]\nprovider = file\n")
        _ = FileSmsSender(config: sms)
        #expect(sms.problemMessages == ["test.conf: missing key sms.path, required by sms.provider = file"])
        let email = makeConfig("[email]\nprovider = file\n")
        _ = FileEmailSender(config: email)
        #expect(email.problemMessages == ["test.conf: missing key email.path, required by email.provider = file"])
    }
}

@Suite struct LogProviderTests {
    @Test func smsIsPrintedWithTheNumberAndIndentedContinuationLines() throws {
        let log = LogLines()
        let receipt = try LogSmsSender(output: log.append).send(SmsMessage(to: "+12015550123", body: "Your code is 123456.\n\n@example.com #123456"))
        #expect(receipt.provider == "log")
        #expect(log.lines == ["SMS to +12015550123: Your code is 123456.\n    \n    @example.com #123456"])
    }

    @Test func emailIsPrintedAsAReadableBlock() throws {
        let log = LogLines()
        let sender = LogEmailSender(config: makeConfig("[email]\nfrom = Example <hello@example.com>\n"), output: log.append)
        try sender.send(EmailMessage(to: "a@example.com", subject: "Confirm your email", text: "Open https://example.com/Account/ConfirmEmail?UserId=1&Token=x", html: "<p>ignored</p>"))
        #expect(log.lines == ["""
            ----- email (log provider, not sent) -----
            From: Example <hello@example.com>
            To: a@example.com
            Subject: Confirm your email

            Open https://example.com/Account/ConfirmEmail?UserId=1&Token=x
            ----- end of email -----
            """])
    }
}
