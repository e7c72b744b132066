import Config
import JSON
import Timekeeping

#if canImport(Glibc)
import Glibc
#endif

/// An outbox of one JSON object per line (CONTRACT §5), shared by the email and SMS `file`
/// providers; every line ends with the time it was written (`"time": "2026-11-26T12:00:00Z"`).
///
/// Several worker processes append to the same file at once. Each line is written by a single
/// `write(2)` on a descriptor opened with `O_APPEND` for that one message: the kernel moves to the
/// end of the file and writes the whole line under the inode lock, so lines never interleave and
/// none is lost. The file is created `0600`: it holds one-time codes and confirmation links.
struct JSONLinesFile {
    let path: String
    private let clock: any WallClock

    /// Reads the file's path from `pathKey` (required by `provider`, e.g. `sms.provider = file`;
    /// relative to the config file's folder).
    init(config: Config, pathKey: String, requiredBy provider: String, clock: any WallClock) {
        let path = config.required(pathKey, by: provider)
        self.path = path.isEmpty ? path : config.resolvePath(path)
        self.clock = clock
    }

    func append(_ fields: [(String, String?)]) throws(JSONLinesFileError) {
        let stamped = fields + [("time", UTCTimestamp.iso8601(clock.now))]
        let line = Array((JSONString.object(stamped) + "\n").utf8)
        let fd = try openForAppend()
        defer { close(fd) }
        while true {
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written == line.count { return }
            if written < 0 && errno == EINTR { continue }  // nothing was written; try again
            if written < 0 { throw JSONLinesFileError(path: path, operation: "write", errno: errno) }
            // A short write (disk full): the line is cut; say so rather than append the rest later.
            throw JSONLinesFileError(path: path, operation: "write", message: "short write (\(written) of \(line.count) bytes)")
        }
    }
}

extension JSONLinesFile {
    /// The outbox, created 0600 whatever the process's umask at that moment (another thread may
    /// have narrowed or widened it); an existing file keeps the mode its operator gave it.
    private func openForAppend() throws(JSONLinesFileError) -> Int32 {
        let created = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 {
            fchmod(created, 0o600)
            return created
        }
        guard errno == EEXIST else { throw JSONLinesFileError(path: path, operation: "open", errno: errno) }
        let existing = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard existing >= 0 else { throw JSONLinesFileError(path: path, operation: "open", errno: errno) }
        return existing
    }
}

struct JSONLinesFileError: Error, Sendable, CustomStringConvertible {
    let description: String

    init(path: String, operation: String, errno code: Int32) {
        description = "\(operation) \(path): \(String(cString: strerror(code)))"
    }

    init(path: String, operation: String, message: String) {
        description = "\(operation) \(path): \(message)"
    }
}
