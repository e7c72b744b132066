#if canImport(Glibc)
import Glibc
#endif
import Spawning

/// Runs an external program with bytes on its standard input and waits for it, with a time limit.
/// Shared by the email and SMS `command` providers.
///
/// Started by `PosixSpawn` (never `fork`). The child gets
/// - stdin: one end of a socket pair holding the input (a socket rather than a pipe so that
///   writing to a child that exited early fails with `EPIPE` via `MSG_NOSIGNAL` instead of killing
///   the worker with `SIGPIPE`);
/// - stdout: our stderr (in CGI mode our stdout is the HTTP response and must stay clean);
/// - stderr: our stderr, so its complaints reach the log;
/// - no other descriptor (the FastCGI connection, the database), default signal handlers and an
///   empty signal mask (the worker blocks SIGTERM while it handles a request);
/// - its own process group, so that a timeout kills it together with anything it started.
struct ChildProcess {
    let executable: String
    let arguments: [String]

    func run(input: [UInt8], timeout: Duration) throws(ChildProcessError) {
        let deadline = ContinuousClock.now + timeout
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw .systemCall("socketpair", errno)
        }
        let (ours, theirs) = (ends[0], ends[1])
        var oursOpen = true
        defer { if oursOpen { close(ours) } }

        let pid: pid_t
        do {
            defer { close(theirs) }
            pid = try spawn(stdin: theirs)
        }

        do {
            try write(input, to: ours, deadline: deadline)
            close(ours)
            oursOpen = false
            try wait(for: pid, deadline: deadline)
        } catch {
            if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw error
        }
    }

    /// The whole environment of a child: a fixed, small one, never the worker's. The worker's
    /// may hold secrets (`${NAME}` config values), and in plain-CGI mode it holds the request's
    /// headers as `HTTP_*` variables — a client sending `Proxy:` would otherwise set `HTTP_PROXY`
    /// for the mail or SMS program (httpoxy).
    static let environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"]

    private func spawn(stdin: Int32) throws(ChildProcessError) -> pid_t {
        let options = PosixSpawn.Options(standardInput: stdin, standardOutputToStandardError: true,
                                         closeOtherDescriptors: true, ownProcessGroup: true)
        do {
            return try PosixSpawn.spawn(executable, arguments: arguments, environment: ChildProcess.environment, options: options)
        } catch {
            throw .spawnFailed(executable, error.reason)
        }
    }

    private func write(_ input: [UInt8], to fd: Int32, deadline: ContinuousClock.Instant) throws(ChildProcessError) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var offset = 0
        while offset < input.count {
            let sent = input[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent >= 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&poller, 1, ChildProcess.milliseconds(until: deadline))
                if ready == 0 { throw .timedOut }
            case EPIPE, ECONNRESET:
                return  // it stopped reading; its exit status tells whether that was fine
            case let code:
                throw .systemCall("send", code)
            }
        }
    }

    private func wait(for pid: pid_t, deadline: ContinuousClock.Instant) throws(ChildProcessError) {
        // Polling with a growing pause: no thread, no SIGCHLD handler, and a child that finishes in
        // a few milliseconds is noticed in a few milliseconds.
        var pause: UInt32 = 1_000
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return try ChildProcess.check(status) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .systemCall("waitpid", errno)
            }
            if ContinuousClock.now >= deadline { throw .timedOut }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// Decodes a `waitpid` status (the W* macros are not imported into Swift).
    private static func check(_ status: Int32) throws(ChildProcessError) {
        let signal = status & 0x7F
        if signal == 0 {
            let code = (status >> 8) & 0xFF
            if code != 0 { throw .exited(code) }
            return
        }
        throw .killed(signal)
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = ContinuousClock.now.duration(to: deadline)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }
}

enum ChildProcessError: Error, Sendable, CustomStringConvertible, Equatable {
    case spawnFailed(String, String)
    case systemCall(String, Int32)
    case exited(Int32)
    case killed(Int32)
    case timedOut

    var description: String {
        switch self {
        case .spawnFailed(let path, let reason): "cannot start \(path): \(reason)"
        case .systemCall(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .exited(let code): "exited with status \(code)"
        case .killed(let signal): "killed by signal \(signal)"
        case .timedOut: "did not finish in time and was killed"
        }
    }
}
