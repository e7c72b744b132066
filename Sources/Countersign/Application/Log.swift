#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr, which process managers and journald collect.
/// Never pass secrets, codes or passwords here.
enum Log {
    static func error(_ message: String) { write("error", message) }
    static func info(_ message: String) { write("info", message) }

    private static func write(_ level: String, _ message: String) {
        let line = "countersign[\(getpid())] \(level): \(message.split(separator: "\n").joined(separator: " "))\n"
        Standard.error(line)
    }
}

/// Writes to fd 2 directly: Glibc's `stderr` is a mutable global Swift 6 will not touch.
enum Standard {
    static func error(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
