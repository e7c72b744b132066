#if canImport(Glibc)
import Glibc
#endif
internal import CFastCGI

/// A set of signals that are blocked and read synchronously (`signalfd`/`sigtimedwait`) instead of
/// being handled asynchronously: no handler code, no shared flags, nothing to race.
struct SignalSet {
    var set = sigset_t()

    init(_ signals: [Int32]) {
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
    }

    /// Blocks these signals for the calling thread (they stay pending until read), then resets
    /// their disposition to the default: a signal ignored by whoever started us (a
    /// shell starting `&` jobs ignores SIGINT) would otherwise be discarded instead of pending.
    func block() {
        var mask = set
        pthread_sigmask(SIG_BLOCK, &mask, nil)
        // Blocked first, so the default action can never run in between.
        for signal in Int32(1)..<32 where sigismember(&mask, signal) == 1 {
            Glibc.signal(signal, SIG_DFL)
        }
    }

    /// A descriptor that becomes readable when one of these (blocked) signals is pending.
    func makeDescriptor() throws -> Int32 {
        var mask = set
        let fd = signalfd(-1, &mask, Int32(SFD_CLOEXEC) | Int32(SFD_NONBLOCK))
        guard fd >= 0 else { throw SystemError("signalfd") }
        return fd
    }

    /// Reads one pending signal from a descriptor made by `makeDescriptor`; nil when none.
    static func read(from descriptor: Int32) -> Int32? {
        var info = signalfd_siginfo()
        let count = Glibc.read(descriptor, &info, MemoryLayout<signalfd_siginfo>.size)
        return count == MemoryLayout<signalfd_siginfo>.size ? Int32(info.ssi_signo) : nil
    }
}
