#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials

/// The `serve` parent process: holds the listening socket, keeps `workers` worker processes
/// running, reloads and stops them gracefully — the php-fpm master's job, with nginx's reload.
///
/// Signals (all read synchronously with `sigtimedwait`, never in a handler):
/// - SIGTERM, SIGINT: graceful stop. Workers get SIGTERM, finish their request, exit; whoever is
///   still running after `shutdownTimeout` gets SIGKILL. No worker is left behind.
/// - SIGHUP: reload. `reload` checks the config first; a bad one is logged and ignored (the
///   running workers go on). Otherwise a new generation of workers starts on the same socket,
///   and once every one of them is ready (waiting for requests, as its status slot says) the old
///   ones get SIGTERM: an idle one leaves at once, a busy one finishes its request first. Until
///   then the old workers keep serving, so a new generation that cannot start (storage gone,
///   crash at start) never takes the site down. The socket never closes: no refused connection.
/// - SIGQUIT: immediate stop (SIGKILL to every worker).
/// - SIGCHLD: a worker ended; it is replaced, with a growing delay if workers keep dying young.
///
/// Every worker start and end is one log line.
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

    /// What a reload's config check found: new settings, or why the config is refused
    /// (`FILE:LINE: message` lines).
    public enum ReloadCheck {
        case accepted(Settings)
        case refused(String)
    }

    /// Workers learn their status file and slot from these variables.
    public static let statusFileVariable = "COUNTERSIGN_POOL_STATUS"
    public static let slotVariable = "COUNTERSIGN_WORKER_SLOT"

    private struct Worker {
        /// 0..<workers: which worker of the pool this one is (replaced into the same position).
        let position: Int
        /// Its entry in the status file.
        let slot: Int
        let startedAt: Date
        let generation: UInt64
        /// Set once it was told to leave (SIGTERM after a reload).
        var retireDeadline: Date?
    }

    private let socket: ListeningSocket
    private var settings: Settings
    private let status: PoolStatusFile
    private let reload: () -> ReloadCheck
    private let log: (String) -> Void
    private let executable = ProcessSpawner.currentExecutable()
    private var workers: [pid_t: Worker] = [:]
    /// Positions waiting for a worker, with the time before which it must not be started.
    private var vacantPositions: [Int: Date] = [:]
    private var crashDelay: TimeInterval = 0
    private var stopping = false
    /// Old workers to retire once the new generation is ready.
    private var awaitingRetirement: Set<pid_t> = []

    /// - Parameters:
    ///   - status: the pool's shared memory (worker slots and counters), already created.
    ///   - reload: reads and checks the config again on SIGHUP.
    public init(socket: ListeningSocket, settings: Settings, status: PoolStatusFile,
                reload: @escaping () -> ReloadCheck, log: @escaping (String) -> Void) {
        self.socket = socket
        self.settings = settings
        self.status = status
        self.reload = reload
        self.log = log
    }

    /// Runs until stopped; returns the process exit code.
    public func run() -> Int32 {
        let signals = SignalSet([SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD])
        signals.block()
        signal(SIGPIPE, SIG_IGN)
        status.supervisorPid = getpid()
        status.startedAt = Date()
        for position in 0..<settings.workers { vacantPositions[position] = .distantPast }

        while true {
            startVacantWorkers()
            retireOldWorkersWhenNewAreReady()
            killOverdueRetirees()
            var set = signals.set
            var timeout = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            let signal = sigtimedwait(&set, nil, &timeout)
            switch signal {
            case SIGCHLD:
                reapWorkers()
            case SIGTERM, SIGINT:
                log("stopping (\(signal == SIGINT ? "SIGINT" : "SIGTERM")), waiting up to \(Int(settings.shutdownTimeout))s for requests in flight")
                return stop(signals: signals)
            case SIGQUIT:
                log("SIGQUIT, stopping at once")
                stopping = true
                for pid in workers.keys { kill(pid, SIGKILL) }
                while !workers.isEmpty { reapWorkers(blocking: true) }
                finish()
                return 0
            case SIGHUP:
                reloadWorkers()
            default:
                break
            }
        }
    }

    private func reloadWorkers() {
        log("SIGHUP, checking the config before reloading")
        switch reload() {
        case .refused(let problems):
            let oneLine = problems.split(separator: "\n").joined(separator: "; ")
            log("reload refused, the running workers go on: \(oneLine)")
        case .accepted(let newSettings):
            settings = newSettings
            status.generation += 1
            // Everyone not already leaving is now old, a previous reload's not-yet-ready
            // generation included.
            awaitingRetirement.formUnion(workers.filter { $0.value.retireDeadline == nil }.keys)
            vacantPositions = [:]
            for position in 0..<settings.workers { vacantPositions[position] = .distantPast }
            startVacantWorkers()
            log("reloading (generation \(status.generation)): \(settings.workers) new workers starting; \(awaitingRetirement.count) old ones serve until they are ready")
        }
    }

    /// When every worker of the current generation waits for requests, the old ones are told to
    /// finish their request and leave.
    private func retireOldWorkersWhenNewAreReady() {
        guard !awaitingRetirement.isEmpty else { return }
        let current = workers.values.filter { $0.generation == status.generation && $0.retireDeadline == nil }
        // Without a shared status file (it could not be created) workers cannot say they are
        // ready: retire at once, as a plain restart would.
        let ready = status.path == nil ? Array(current) : current.filter { [.idle, .busy].contains(status.state(slot: $0.slot)) }
        guard ready.count >= settings.workers else { return }
        let deadline = Date().addingTimeInterval(settings.shutdownTimeout)
        for pid in awaitingRetirement {
            guard var worker = workers[pid] else { continue }
            worker.retireDeadline = deadline
            workers[pid] = worker
            status.markRetiring(slot: worker.slot)
            kill(pid, SIGTERM)
        }
        log("reloaded (generation \(status.generation)): \(ready.count) new workers ready, \(awaitingRetirement.count) old ones finish their requests and leave")
        awaitingRetirement = []
    }

    private func startVacantWorkers() {
        let now = Date()
        for (position, notBefore) in vacantPositions.sorted(by: { $0.key < $1.key }) where notBefore <= now {
            guard let slot = status.freeSlot() else {
                log("no free worker slot in the status file; waiting for old workers to leave")
                vacantPositions[position] = now.addingTimeInterval(1)
                continue
            }
            status.reserve(slot: slot)
            do {
                let pid = try ProcessSpawner.spawn(
                    executable: executable,
                    arguments: settings.workerArguments,
                    standardInput: socket.descriptor,
                    environment: workerEnvironment(slot: slot)
                )
                status.occupy(slot: slot, pid: pid, startedAt: now, generation: status.generation)
                workers[pid] = Worker(position: position, slot: slot, startedAt: now, generation: status.generation)
                vacantPositions[position] = nil
                log("worker \(pid) started (slot \(slot), generation \(status.generation))")
            } catch {
                status.release(slot: slot)
                log("cannot start a worker: \(error); trying again in 1s")
                vacantPositions[position] = now.addingTimeInterval(1)
            }
        }
    }

    /// Our environment without systemd's socket-activation variables (the socket is on the
    /// worker's fd 0, not fd 3), plus the status file and slot.
    private func workerEnvironment(slot: Int) -> [String] {
        ProcessSpawner.currentEnvironment().filter { entry in
            !["LISTEN_FDS=", "LISTEN_PID=", "LISTEN_FDNAMES=", Self.statusFileVariable + "=", Self.slotVariable + "="]
                .contains { entry.hasPrefix($0) }
        } + [Self.statusFileVariable + "=" + (status.path ?? ""), Self.slotVariable + "=\(slot)"]
    }

    private func killOverdueRetirees() {
        let now = Date()
        for (pid, worker) in workers {
            guard let deadline = worker.retireDeadline, deadline < now else { continue }
            log("worker \(pid) still busy \(Int(settings.shutdownTimeout))s after the reload, killing it")
            kill(pid, SIGKILL)
            workers[pid]?.retireDeadline = .distantFuture
        }
    }

    private func reapWorkers(blocking: Bool = false) {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, blocking ? 0 : WNOHANG)
            if pid < 0 && errno == ECHILD {
                for worker in workers.values { self.status.release(slot: worker.slot) }
                workers.removeAll()
            }
            guard pid > 0 else { return }
            guard let worker = workers.removeValue(forKey: pid) else { continue }
            self.status.release(slot: worker.slot)
            awaitingRetirement.remove(pid)
            let lived = Int(Date().timeIntervalSince(worker.startedAt))
            let how = Self.describe(status)
            if stopping {
                log("worker \(pid) \(how) after \(lived)s (stopping)")
                continue
            }
            if worker.retireDeadline != nil {
                log("worker \(pid) retired, \(how) after \(lived)s")
                continue
            }
            if worker.generation != self.status.generation {
                // An old worker that ended before its retirement: the new generation replaces it.
                log("worker \(pid) of an earlier generation \(how) after \(lived)s")
                continue
            }
            if Self.exitedNormally(status) && Self.exitStatus(status) == 0 {
                // A worker leaves on its own only after server.max_requests: replace at once.
                log("worker \(pid) recycled after server.max_requests, \(how) after \(lived)s")
                vacantPositions[worker.position] = .distantPast
                continue
            }
            self.status.restarts += 1
            crashDelay = lived > 10 ? 0 : min(max(crashDelay * 2, 0.1), 10)
            log("worker \(pid) \(how) after \(lived)s; restarting it in \(crashDelay)s")
            vacantPositions[worker.position] = Date().addingTimeInterval(crashDelay)
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
            log("\(workers.count) worker(s) still busy after \(Int(settings.shutdownTimeout))s, killing them")
            for pid in workers.keys { kill(pid, SIGKILL) }
            while !workers.isEmpty { reapWorkers(blocking: true) }
        }
        finish()
        log("stopped")
        return 0
    }

    private func finish() {
        socket.close()
        if let path = status.path { unlink(path) }
    }

    // The W* macros are not imported into Swift.
    private static func exitedNormally(_ status: Int32) -> Bool { status & 0x7f == 0 }
    private static func exitStatus(_ status: Int32) -> Int32 { (status >> 8) & 0xff }

    private static func describe(_ status: Int32) -> String {
        if exitedNormally(status) { return "exited with status \(exitStatus(status))" }
        return "was killed by signal \(status & 0x7f)"
    }
}
