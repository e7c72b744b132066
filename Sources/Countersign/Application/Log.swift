#if canImport(Glibc)
import Glibc
#endif
import Messaging

/// One line per event, which process managers and journald collect from stderr. Passed in (built
/// once per worker with `Services`), so a test can read what a request logged.
/// Never pass secrets, codes or passwords here.
struct Log {
    let output: LogOutput

    /// Lines go to `output` (stderr by default), prefixed with the process id and the level.
    init(output: @escaping LogOutput = StandardError.write) {
        self.output = output
    }

    func error(_ message: String) { write("error", message) }
    func info(_ message: String) { write("info", message) }

    private func write(_ level: String, _ message: String) {
        output("countersign[\(getpid())] \(level): \(message.split(separator: "\n").joined(separator: " "))\n")
    }
}
