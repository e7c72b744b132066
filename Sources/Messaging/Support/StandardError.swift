#if canImport(Glibc)
import Glibc
#endif

/// Where the `log` providers, the failover notes and the app's log lines go. Each block is written with one `write(2)`
/// so that lines from several worker processes sharing stderr do not mix.
/// Writes to fd 2 directly: Glibc's `stderr` is a mutable global Swift 6 will not touch.
public enum StandardError {
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return  // nowhere left to complain
            }
            offset += written
        }
    }
}

/// A line sink: stderr in production, an array in tests.
public typealias LogOutput = (String) -> Void
