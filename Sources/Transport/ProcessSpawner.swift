#if canImport(Glibc)
import Glibc
#endif
import Spawning

/// Starts the workers: a program with the listening socket as its fd 0 (see `PosixSpawn` for
/// what else the child gets).
enum ProcessSpawner {
    static func spawn(executable: String, arguments: [String], standardInput: Int32, environment: [String]) throws -> pid_t {
        do {
            return try PosixSpawn.spawn(executable, arguments: arguments, environment: environment,
                                        options: PosixSpawn.Options(standardInput: standardInput))
        } catch {
            throw SystemError("posix_spawn \(executable)", code: error.code)
        }
    }

    /// The running program's own path, so workers are the same binary as the supervisor.
    static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func currentEnvironment() -> [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }
}
