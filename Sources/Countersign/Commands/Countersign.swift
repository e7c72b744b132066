import Config
import FoundationEssentials
import Messaging
import Storage
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// The `countersign` command: picks the mode and maps every failure to CONTRACT.md's exit codes
/// (0 ok, 1 runtime failure, 2 bad usage or bad config).
public enum CountersignCommand {
    public static func main(arguments: [String], environment: [String: String]) -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions.parse(arguments)
        } catch {
            printError("countersign: \(error.message)\n\n\(CommandLineOptions.usage)")
            return 2
        }
        let configPath = absolute(options.resolvedConfigPath(environment: environment))

        switch options.command {
        case .help:
            print(CommandLineOptions.usage)
            return 0
        case .migrate:
            return run { try Commands.migrate(configPath: configPath, environment: environment) }
        case .checkConfig:
            return run { try Commands.checkConfig(configPath: configPath, environment: environment) }
        case .sendTestSms:
            guard options.arguments.count == 1 else {
                printError("countersign: send-test-sms needs exactly one phone number, e.g. +12015550123")
                return 2
            }
            return run { try Commands.sendTestSms(configPath: configPath, environment: environment, number: options.arguments[0]) }
        case .events:
            guard options.arguments.isEmpty, options.values["--until"] == nil else {
                printError("countersign: usage: countersign events [--since 1h] [--user EMAIL] --config FILE")
                return 2
            }
            return run { try OperatorCommands.events(configPath: configPath, environment: environment, since: options.values["--since"],
                                                     user: options.values["--user"]) }
        case .number:
            return run { try OperatorCommands.number(configPath: configPath, environment: environment, arguments: options.arguments,
                                                     until: options.values["--until"]) }
        case .status:
            return StatusCommand.run(configPath: configPath, environment: environment, json: options.json)
        case .user:
            guard options.arguments.count == 2 else {
                printError("countersign: usage: countersign user show|unlock|sign-out|delete EMAIL --config FILE")
                return 2
            }
            return run { try UserCommand.run(action: options.arguments[0], email: options.arguments[1], configPath: configPath, environment: environment) }
        case .storage:
            guard options.arguments == ["copy"], let source = options.values["--from-sqlite"], options.values.count == 1 else {
                printError("countersign: usage: countersign storage copy --from-sqlite PATH --config FILE")
                return 2
            }
            return run { try StorageCommands.copy(configPath: configPath, environment: environment, fromSQLite: absolute(source)) }
        case .serve, nil:
            if FastCGIWorker.isListeningSocketOnStandardInput {
                return run { try Commands.serveAsWorker(configPath: configPath, environment: environment) }
            }
            if environment["GATEWAY_INTERFACE"] != nil {
                return run { try Commands.serveCGI(configPath: configPath, environment: environment) }
            }
            return run { try Commands.supervise(configPath: configPath, environment: environment) }
        }
    }

    private static func run(_ body: () throws -> Int32) -> Int32 {
        do {
            return try body()
        } catch let errors as ConfigErrors {
            printError(errors.description)
            return 2
        } catch let usage as CommandLineOptions.UsageError {
            printError("countersign: \(usage.message)")
            return 2
        } catch {
            printError("countersign: \(error)")
            return 1
        }
    }

    static func printError(_ text: String) {
        StandardError.write(text)
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return cwd + "/" + path
    }
}
