import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A tiny SMTP server on 127.0.0.1 for one session at a time: greeting, EHLO (optionally offering
/// AUTH PLAIN, never STARTTLS), AUTH, MAIL, RCPT, DATA, QUIT. It records the envelope and the
/// message as received.
final class FakeSMTPServer: @unchecked Sendable {
    struct Session: Sendable {
        var commands: [String] = []
        var mailFrom: String?
        var recipients: [String] = []
        /// The DATA section as sent (CRLF line ends, dot-stuffed), without the final `.` line.
        var data: String?
        var authPlain: String?
    }

    var port: UInt16 { server.port }
    var url: String { "smtp://127.0.0.1:\(port)" }
    private let server: LoopbackServer
    private let offerAuth: Bool
    private let rejectRecipients: Bool
    private let lock = NSLock()
    private var recorded: [Session] = []

    var sessions: [Session] { lock.withLock { recorded } }

    /// The sessions once `count` have ended (the server thread records a session after QUIT,
    /// which may be a moment after the client has its answer).
    func sessions(waitingFor count: Int) -> [Session] {
        for _ in 0..<200 where sessions.count < count {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return sessions
    }

    init(offerAuth: Bool = false, rejectRecipients: Bool = false) throws {
        server = try LoopbackServer()
        self.offerAuth = offerAuth
        self.rejectRecipients = rejectRecipients
        server.start { [self] stream in
            let session = converse(stream)
            lock.withLock { recorded.append(session) }
        }
    }

    deinit { stop() }

    func stop() {
        server.stop()
    }

    private func converse(_ stream: SocketStream) -> Session {
        var session = Session()
        stream.write("220 fake.test ESMTP\r\n")
        while let line = stream.readLine() {
            session.commands.append(line)
            let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
            switch verb {
            case "EHLO":
                stream.write(offerAuth ? "250-fake.test\r\n250 AUTH PLAIN\r\n" : "250 fake.test\r\n")
            case "HELO":
                stream.write("250 fake.test\r\n")
            case "STARTTLS":
                stream.write("454 TLS not available\r\n")
            case "AUTH":
                if let initial = line.split(separator: " ").dropFirst(2).first {
                    session.authPlain = String(initial)
                } else {
                    stream.write("334 \r\n")  // no initial response (libcurl's default): ask for it
                    session.authPlain = stream.readLine()
                }
                stream.write("235 2.7.0 Authentication successful\r\n")
            case "MAIL":
                session.mailFrom = String(line.dropFirst("MAIL FROM:".count))
                stream.write("250 2.1.0 Ok\r\n")
            case "RCPT":
                session.recipients.append(String(line.dropFirst("RCPT TO:".count)))
                stream.write(rejectRecipients ? "550 5.1.1 No such user\r\n" : "250 2.1.5 Ok\r\n")
            case "DATA":
                stream.write("354 End data with <CR><LF>.<CR><LF>\r\n")
                guard let data = stream.readUntil(Array("\r\n.\r\n".utf8)) else { return session }
                session.data = String(decoding: data.dropLast(3), as: UTF8.self)
                stream.write("250 2.0.0 Ok: queued\r\n")
            case "QUIT":
                stream.write("221 2.0.0 Bye\r\n")
                return session
            case "RSET", "NOOP":
                stream.write("250 2.0.0 Ok\r\n")
            default:
                stream.write("502 5.5.2 Error: command not recognized\r\n")
            }
        }
        return session
    }
}
