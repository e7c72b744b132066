#if canImport(Glibc)
import Glibc
#endif

/// Starting a program with `posix_spawn`, set up once for the two places that start programs:
/// the supervisor's workers (Transport) and the `command` providers (Messaging).
///
/// `posix_spawn`, never `fork()` without `exec()`: the Swift runtime has threads, and a forked copy
/// of a threaded process may only call async-signal-safe functions (it can deadlock on a lock
/// another thread held). The child always starts with an empty signal mask (the caller may be
/// blocking signals it reads synchronously, or SIGTERM while it handles a request) and the
/// default action for the signals a process manager or a shell sends or we may ignore.
public enum PosixSpawn {
    /// What the child gets besides the program and its arguments.
    public struct Options: Sendable {
        /// Becomes the child's fd 0 (left alone when it already is 0).
        public var standardInput: Int32
        /// Our fd 2 also becomes the child's fd 1 (when our fd 1 must stay clean, as in CGI mode).
        public var standardOutputToStandardError: Bool
        /// Closes every descriptor above 2 in the child, close-on-exec or not.
        public var closeOtherDescriptors: Bool
        /// The child leads a process group of its own, so one `kill(-pid, …)` reaches all it starts.
        public var ownProcessGroup: Bool

        public init(standardInput: Int32, standardOutputToStandardError: Bool = false,
                    closeOtherDescriptors: Bool = false, ownProcessGroup: Bool = false) {
            self.standardInput = standardInput
            self.standardOutputToStandardError = standardOutputToStandardError
            self.closeOtherDescriptors = closeOtherDescriptors
            self.ownProcessGroup = ownProcessGroup
        }
    }

    /// `posix_spawn`'s own error number, with the program's path.
    public struct Failure: Error, Sendable {
        public let executable: String
        public let code: Int32
        public var reason: String { String(cString: strerror(code)) }
    }

    static let defaultedSignals = [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD]

    /// Starts `executable` (a path; no search) and returns its pid. `environment` entries are
    /// `NAME=value`; nil passes ours on.
    public static func spawn(_ executable: String, arguments: [String], environment: [String]?, options: Options) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if options.standardInput != 0 {
            posix_spawn_file_actions_adddup2(&actions, options.standardInput, 0)
        }
        if options.standardOutputToStandardError {
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        }
        if options.closeOtherDescriptors {
            // posix_spawn_file_actions_addclosefrom_np is not visible from Swift's Glibc module.
            for fd in openDescriptors() where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultedSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if options.ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = envp.map { posix_spawn(&pid, executable, &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Failure(executable: executable, code: result) }
        return pid
    }

    /// Our open descriptors, from `/proc/self/fd`. A descriptor closed before the spawn runs is
    /// harmless: glibc ignores `EBADF` in close actions.
    private static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name) { descriptors.append(fd) }
        }
        return descriptors
    }
}
