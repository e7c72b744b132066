import Foundation
@testable import Messaging
import Testing
import Timekeeping

@Suite struct CommandProviderTests {
    @Test func smsCommandGetsTheNumberAsLastArgumentAndTheTextOnStdin() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("send-sms", "printf '%s\\n' \"$@\" > \(dir.file("args")); cat > \(dir.file("stdin"))")
        let config = makeConfig("[sms]\nprovider = command\ncommand = \(script) --gateway modem0\n")
        let sender = CommandSmsSender(config: config)
        #expect(config.problems.isEmpty)

        let receipt = try sender.send(SmsMessage(to: "+12015550123", body: "Your code is 123456.\n\n@example.com #123456"))

        #expect(receipt.provider == "command")
        #expect(try dir.read("args") == "--gateway\nmodem0\n+12015550123\n")
        #expect(try dir.read("stdin") == "Your code is 123456.\n\n@example.com #123456")
    }

    @Test func relativeCommandIsResolvedAgainstTheConfigFolder() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.script("send-sms", "cat > \(dir.file("stdin"))")
        let config = makeConfig("[sms]\ncommand = send-sms\n", directory: dir.path)
        _ = try CommandSmsSender(config: config).send(SmsMessage(to: "+12015550123", body: "hi"))
        #expect(config.problems.isEmpty)
        #expect(try dir.read("stdin") == "hi")
    }

    @Test func failingCommandIsAnErrorWithItsExitStatus() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("fail", "cat > /dev/null; echo 'modem not found' >&2; exit 3")
        let sender = CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n"))
        let error = #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "+12015550123", body: "code 123456")) }
        #expect(error?.providerCode == "exit 3")
        #expect(error?.detail.contains("exited with status 3") == true)
        #expect(error?.detail.contains("123456") == false)
    }

    @Test func commandThatIgnoresStdinAndSucceedsIsFine() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("ignore", "touch \(dir.file("ran")); exit 0")
        let sender = CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n"))
        // Larger than a socket buffer, so the write meets a closed reader.
        let receipt = try sender.send(SmsMessage(to: "+12015550123", body: String(repeating: "x", count: 1 << 20)))
        // The command ran, and its exit status 0 (not the refused write) decided the answer.
        #expect(receipt.provider == "command")
        #expect(receipt.messageId == nil)
        #expect(FileManager.default.fileExists(atPath: dir.file("ran")))
    }

    @Test func hungCommandIsKilledAtTheTimeout() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("hang", "echo $$ > \(dir.file("pid")); exec sleep 30")
        let sender = CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n"), timeout: .milliseconds(300))
        // Left alone the command would exit 0 after 30 s and the send would succeed.
        let error = #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "+12015550123", body: "hi")) }
        #expect(error?.kind == .unavailable)
        #expect(error?.detail.contains("did not finish in time") == true)
        // Killed and reaped before `send` returned: the process no longer exists.
        let pid = try #require(pid_t(try dir.read("pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func timeoutAlsoKillsWhatTheCommandStarted() throws {
        let dir = try TemporaryDirectory()
        // The command and what it starts hold the write end of a FIFO: once every writer is dead,
        // the reader sees the hang-up. That is the signal to wait for, not a pause.
        let fifo = dir.file("alive")
        try #require(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        try #require(reader >= 0)
        defer { close(reader) }
        let script = try dir.script("hang", "exec 3> \(fifo); sleep 30 & echo $! > \(dir.file("pid")); wait")
        let sender = CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n"), timeout: .milliseconds(300))
        #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "+12015550123", body: "hi")) }
        let pid = try #require(Int(try dir.read("pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        var poller = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 10_000) == 1 && poller.revents & Int16(POLLHUP) != 0, "the started process still holds the FIFO")
        // Gone, or a zombie waiting for its new parent to reap it: either way no longer running.
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let state = stat?.split(separator: ")").last?.split(separator: " ").first
        #expect(stat == nil || state == "Z")
    }

    @Test func childStartsWithNoBlockedSignals() throws {
        let dir = try TemporaryDirectory()
        // bash, not sh: dash clears its signal mask at start-up and would hide the bug.
        let script = try dir.script("mask", "grep SigBlk /proc/$$/status > \(dir.file("mask")); cat > /dev/null", interpreter: "/bin/bash")
        let sender = CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n"))
        // As a worker does while it handles a request.
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        _ = try sender.send(SmsMessage(to: "+12015550123", body: "hi"))
        // bash itself blocks SIGCHLD while it waits for grep; SIGTERM (bit 15) is what matters.
        let mask = try #require(UInt64(try dir.read("mask").dropFirst("SigBlk:\t".count).dropLast(), radix: 16))
        #expect(mask & (1 << (UInt64(SIGTERM) - 1)) == 0)
    }

    @Test func numberThatCouldBeAnOptionNeverReachesTheCommand() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("send-sms", "touch \(dir.file("ran"))")
        let sender = CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n"))
        #expect(throws: SmsSendError.self) { try sender.send(SmsMessage(to: "--help", body: "hi")) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("ran")))
    }

    @Test func childSeesNoneOfOurDescriptorsBeyondStandardOnes() throws {
        let dir = try TemporaryDirectory()
        let keptOpen = open(dir.file("held"), O_CREAT | O_WRONLY, 0o600)  // not close-on-exec
        defer { close(keptOpen) }
        let script = try dir.script("fds", "ls /proc/$$/fd > \(dir.file("fds")); cat > /dev/null")
        _ = try CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n")).send(SmsMessage(to: "+12015550123", body: "hi"))
        let fds = try dir.read("fds").split(separator: "\n").compactMap { Int($0) }.filter { $0 > 2 }
        #expect(!fds.contains(Int(keptOpen)))
    }

    @Test func nonExecutableFileIsAConfigProblem() throws {
        let dir = try TemporaryDirectory()
        try "echo hi".write(toFile: dir.file("plain"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.file("plain"))
        let sms = makeConfig("[sms]\ncommand = plain\n", directory: dir.path)
        _ = CommandSmsSender(config: sms)
        #expect(sms.problemMessages == ["test.conf:2: sms.command: \(dir.file("plain")) is not an executable file (the command is run without a shell: give the program's full path)"])
    }

    @Test(arguments: ["/nonexistent/sendmail", "/tmp"])
    func missingOrNonExecutableCommandIsAConfigProblem(path: String) {
        let sms = makeConfig("[sms]\ncommand = \(path) -x\n")
        _ = CommandSmsSender(config: sms)
        #expect(sms.problemMessages.contains { $0.contains("sms.command: \(path) is not an executable file") })
        let email = makeConfig("[email]\ncommand = \(path)\n")
        _ = CommandEmailSender(config: email)
        #expect(email.problemMessages.contains { $0.contains("email.command: \(path) is not an executable file") })
    }

    @Test func emailCommandGetsTheWholeMessageOnStdinWithLFLineEnds() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("sendmail", "printf '%s\\n' \"$@\" > \(dir.file("args")); cat > \(dir.file("stdin"))")
        let config = makeConfig("[email]\nprovider = command\ncommand = \(script) -t -i\nfrom = Example <hello@example.com>\n")
        let sender = CommandEmailSender(config: config, clock: ManualClock(fixedDate), timeout: .seconds(10))
        #expect(config.problems.isEmpty)

        try sender.send(EmailMessage(to: "a@example.com", subject: "Confirm", text: "Click the link.", html: "<p>Click</p>"))

        #expect(try dir.read("args") == "-t\n-i\n")
        let stdin = try dir.read("stdin")
        #expect(stdin.hasPrefix("From: Example <hello@example.com>\nTo: a@example.com\nSubject: Confirm\nDate: Thu, 26 Nov 2026 12:00:00 +0000\n"))
        #expect(stdin.contains("Click the link."))
        #expect(stdin.contains("<p>Click</p>"))
        #expect(!stdin.contains("\r"))
    }

    @Test func failingEmailCommandIsAnError() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("sendmail", "cat > /dev/null; exit 75")
        let sender = CommandEmailSender(config: makeConfig("[email]\ncommand = \(script)\n"))
        let error = #expect(throws: EmailSendError.self) { try sender.send(EmailMessage(to: "a@example.com", subject: "s", text: "t")) }
        #expect(error?.reason.contains("exited with status 75") == true)
    }

    @Test func headerInjectionNeverReachesTheCommand() throws {
        let dir = try TemporaryDirectory()
        let script = try dir.script("sendmail", "touch \(dir.file("ran"))")
        let sender = CommandEmailSender(config: makeConfig("[email]\ncommand = \(script)\n"))
        #expect(throws: EmailFormatError.self) { try sender.send(EmailMessage(to: "a@example.com\nBcc: x@example.com", subject: "s", text: "t")) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("ran")))
    }
}
