import Config
import Messaging

/// `countersign check-config`: every config problem at once, exit 2 if any.
extension Commands {
    static func checkConfig(configPath: String, environment: [String: String]) throws -> Int32 {
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
        guard problems.isEmpty else {
            CountersignCommand.printError(problems.map(\.description).joined(separator: "\n"))
            return 2
        }
        print("\(configPath): ok")
        return 0
    }
}
