#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials

/// The `serve` parent process: holds the listening socket, keeps `workers` worker processes
/// running, and stops them gracefully — the php-fpm master's job.
///
/// Signals (all read synchronously with `sigtimedwait`, never in a handler):
/// - SIGTERM, SIGINT: graceful stop. Workers get SIGTERM, finish their request, exit; whoever is
///   still running after `shutdownTimeout` gets SIGKILL. No worker is left behind.
/// - SIGHUP: graceful restart of every worker (they re-read the config; the socket stays).
/// - SIGQUIT: immediate stop (SIGKILL to every worker).
/// - SIGCHLD: a worker ended; it is replaced, with a growing delay if workers keep dying young.
public final class Supervisor {
    public struct Settings {
        public var workers: Int
        public var shutdownTimeout: TimeInterval
        /// Arguments for each worker (the same binary, which serves as a worker when it finds a
        /// listening socket on fd 0).
        public var workerArguments: [String]

        public init(workers: Int, shutdownTimeout: TimeInterval, workerArguments: [String]) {
            self.workers = workers
            self.shutdownTimeout = shutdownTimeout
            self.workerArguments = workerArguments
        }
    }

    private struct Worker {
        let slot: Int
        let startedAt: Date
    }

    private let socket: ListeningSocket
    private let settings: Settings
    private let log: (String) -> Void
    private let executable = ProcessSpawner.currentExecutable()
    private var workers: [pid_t: Worker] = [:]
    /// Slots waiting for a worker, with the time before which it must not be started.
    private var vacantSlots: [Int: Date] = [:]
    private var crashDelay: TimeInterval = 0
    private var stopping = false

    public init(socket: ListeningSocket, settings: Settings, log: @escaping (String) -> Void) {
        self.socket = socket
        self.settings = settings
        self.log = log
    }

    /// Runs until stopped; returns the process exit code.
    public func run() -> Int32 {
        let signals = SignalSet([SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD])
        signals.block()
        signal(SIGPIPE, SIG_IGN)
        for slot in 0..<settings.workers { vacantSlots[slot] = .distantPast }

        while true {
            startVacantWorkers()
            var set = signals.set
            var timeout = timespec(tv_sec: 0, tv_nsec: 200_000_000)
            let signal = sigtimedwait(&set, nil, &timeout)
            switch signal {
            case SIGCHLD:
                reapWorkers()
            case SIGTERM, SIGINT:
                log("countersign: stopping (\(signal == SIGINT ? "SIGINT" : "SIGTERM")), waiting up to \(Int(settings.shutdownTimeout))s for requests in flight")
                return stop(signals: signals)
            case SIGQUIT:
                log("countersign: SIGQUIT, stopping at once")
                for pid in workers.keys { kill(pid, SIGKILL) }
                reapWorkers(blocking: true)
                socket.close()
                return 0
            case SIGHUP:
                log("countersign: SIGHUP, restarting workers")
                for pid in workers.keys { kill(pid, SIGTERM) }
            default:
                break
            }
        }
    }

    private func startVacantWorkers() {
        let now = Date()
        for (slot, notBefore) in vacantSlots.sorted(by: { $0.key < $1.key }) where notBefore <= now {
            do {
                let pid = try ProcessSpawner.spawn(
                    executable: executable,
                    arguments: settings.workerArguments,
                    standardInput: socket.descriptor,
                    environment: ProcessSpawner.currentEnvironment()
                )
                workers[pid] = Worker(slot: slot, startedAt: now)
                vacantSlots[slot] = nil
            } catch {
                log("countersign: cannot start a worker: \(error)")
                vacantSlots[slot] = now.addingTimeInterval(1)
            }
        }
    }

    private func reapWorkers(blocking: Bool = false) {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, blocking ? 0 : WNOHANG)
            if pid < 0 && errno == ECHILD { workers.removeAll() }
            guard pid > 0 else { return }
            guard let worker = workers.removeValue(forKey: pid) else { continue }
            if stopping { continue }
            let lived = Date().timeIntervalSince(worker.startedAt)
            let exitedCleanly = Self.exitedNormally(status) && Self.exitStatus(status) == 0
            if exitedCleanly {
                // Recycled after server.max_requests, or restarted by SIGHUP: replace at once.
                vacantSlots[worker.slot] = .distantPast
                continue
            }
            log("countersign: worker \(pid) \(Self.describe(status)) after \(Int(lived))s; starting a new one")
            crashDelay = lived > 10 ? 0 : min(max(crashDelay * 2, 0.1), 10)
            vacantSlots[worker.slot] = Date().addingTimeInterval(crashDelay)
        }
    }

    private func stop(signals: SignalSet) -> Int32 {
        stopping = true
        for pid in workers.keys { kill(pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(settings.shutdownTimeout)
        while !workers.isEmpty && Date() < deadline {
            var set = signals.set
            var timeout = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            _ = sigtimedwait(&set, nil, &timeout)
            reapWorkers()
        }
        if !workers.isEmpty {
            log("countersign: \(workers.count) worker(s) still busy after \(Int(settings.shutdownTimeout))s, killing them")
            for pid in workers.keys { kill(pid, SIGKILL) }
            while !workers.isEmpty { reapWorkers(blocking: true) }
        }
        socket.close()
        log("countersign: stopped")
        return 0
    }

    // The W* macros are not imported into Swift.
    private static func exitedNormally(_ status: Int32) -> Bool { status & 0x7f == 0 }
    private static func exitStatus(_ status: Int32) -> Int32 { (status >> 8) & 0xff }

    private static func describe(_ status: Int32) -> String {
        if exitedNormally(status) { return "exited with status \(exitStatus(status))" }
        return "was killed by signal \(status & 0x7f)"
    }
}
