#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr, which nginx-style process managers and journald collect.
/// Never pass secrets, codes or passwords here.
enum Log {
    static func error(_ message: String) { write("error", message) }
    static func info(_ message: String) { write("info", message) }

    private static func write(_ level: String, _ message: String) {
        let line = "countersign[\(getpid())] \(level): \(message.split(separator: "\n").joined(separator: " "))\n"
        fputs(line, stderr)
    }
}
