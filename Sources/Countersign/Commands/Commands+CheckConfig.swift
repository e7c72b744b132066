import Config
import Messaging

/// `countersign check-config`: every config problem at once, exit 2 if any.
extension Commands {
    static func checkConfig(configPath: String, environment: [String: String]) throws -> Int32 {
        let (problems, _) = configProblems(configPath: configPath, environment: environment)
        guard problems.isEmpty else {
            CountersignCommand.printError(problems.map(\.description).joined(separator: "\n"))
            return 2
        }
        print("\(configPath): ok")
        return 0
    }

    /// What `check-config` checks, without sending anything: every key, every chosen provider's
    /// settings, the templates. Also the reload check of `serve` on SIGHUP.
    static func configProblems(configPath: String, environment: [String: String]) -> ([ConfigProblem], AppSettings) {
        let config = Config(path: configPath, environment: environment)
        let settings = AppSettings(config: config, shippedTemplates: ShippedFiles.templatesDirectory)
        _ = EmailProviders.make(config: config)
        _ = StorageProviders.make(config: config)
        PhoneCommands.check(config: config, settings: settings)
        var problems = config.problems
        do {
            try config.finish(knownKeys: ConfigKeys.all)
        } catch {
            problems = error.problems
        }
        if problems.isEmpty {
            do {
                _ = try PageRenderer.loadTemplates(directory: settings.templatesDirectory)
            } catch {
                problems.append(ConfigProblem(file: error.file, line: error.line, message: error.message))
            }
        }
        for warning in config.warnings { CountersignCommand.printError(warning.description) }
        return (problems, settings)
    }
}
