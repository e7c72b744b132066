import Config
import Transport

/// What each mode of `countersign` does once the options are parsed: one file per command
/// (`Commands+Migrate.swift` …), all starting from the same `Services`.
enum Commands {
    static func loadServices(configPath: String, environment: [String: String], status: PoolStatusFile = .anonymous()) throws -> Services {
        let config = Config(path: configPath, environment: environment)
        let services = try Services.load(config: config, shippedTemplates: ShippedFiles.templatesDirectory, status: status)
        for warning in config.warnings { CountersignCommand.printError(warning.description) }
        if let reason = services.passwordPolicy.dictionaryUnavailableReason {
            services.log.error("password dictionary check disabled: \(reason) (install cracklib-runtime)")
        }
        return services
    }
}
