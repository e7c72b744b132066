import Config
#if canImport(Glibc)
import Glibc
#endif

/// A program named in the config file (`email.command`, `sms.command`): words separated by spaces,
/// no shell, no quoting. The first word is the program's path, relative to the config file's
/// folder unless absolute; it must exist and be executable, which `check-config` reports.
struct ExternalCommand: Sendable {
    let executable: String
    let arguments: [String]

    static func read(_ key: String, from config: Config, by who: String) -> ExternalCommand {
        let words = config.required(key, by: who).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return ExternalCommand(executable: "", arguments: []) }
        let path = config.resolvePath(first)
        var info = stat()
        if stat(path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG || access(path, X_OK) != 0 {
            config.fail(key, "\(path) is not an executable file (the command is run without a shell: give the program's full path)")
        }
        return ExternalCommand(executable: path, arguments: Array(words.dropFirst()))
    }

    func process(extraArguments: [String] = []) -> ChildProcess {
        ChildProcess(executable: executable, arguments: arguments + extraArguments)
    }
}
