import Config
import FoundationEssentials
import Storage
import Transport
import Web
import Messaging
#if canImport(Glibc)
import Glibc
#endif

/// What each mode of `countersign` does once the options are parsed.
enum Commands {
    static func loadServices(configPath: String, environment: [String: String]) throws -> Services {
        let config = Config(path: configPath, environment: environment)
        let services = try Services.load(config: config, shippedTemplates: ShippedFiles.templatesDirectory)
        for warning in config.warnings { CountersignCommand.printError(warning.description) }
        if let reason = services.passwordPolicy.dictionaryUnavailableReason {
            services.log.error("password dictionary check disabled: \(reason) (install cracklib-runtime)")
        }
        return services
    }

    static func migrate(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        let applied = try services.storage.migrate()
        print(applied.isEmpty ? "countersign: schema is up to date" : "countersign: applied \(applied.joined(separator: ", "))")
        return 0
    }

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

    /// A worker: a listening socket is already on fd 0 (our supervisor, spawn-fcgi, mod_fcgid).
    static func serveAsWorker(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        let worker = FastCGIWorker(
            responder: Application(services: services),
            settings: .init(maxBody: services.settings.server.maxBody, maxRequests: services.settings.server.maxRequests)
        )
        try worker.run()
        return 0
    }

    /// Plain CGI: answer the one request in the environment and exit.
    static func serveCGI(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        CGIGateway.serveOneRequest(responder: Application(services: services), environment: environment, maxBody: services.settings.server.maxBody)
        return 0
    }

    /// The supervisor: validate everything, bring the schema up to date, bind, run the pool.
    static func supervise(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        let applied = try services.storage.migrate()
        if !applied.isEmpty { services.log.info("applied migrations \(applied.joined(separator: ", "))") }
        Maintenance(services: services).run()
        let server = services.settings.server
        let socket = try ListeningSocket.bind(server.listen, mode: mode_t(server.listenMode), owner: server.listenOwner, group: server.listenGroup)
        services.log.info("listening on \(server.listen) with \(server.workers) workers")
        let supervisor = Supervisor(
            socket: socket,
            settings: .init(workers: server.workers, shutdownTimeout: server.shutdownTimeout, workerArguments: ["serve", "--config", configPath]),
            log: { services.log.info($0) }
        )
        return supervisor.run()
    }

    static func sendTestSms(configPath: String, environment: [String: String], number: String) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        return try PhoneCommands.sendTestMessage(services: services, number: number)
    }
}

/// Files that ship with Countersign (templates), found next to the binary when installed, or in
/// the source tree when run from a build folder.
enum ShippedFiles {
    static var templatesDirectory: String {
        let candidates = [
            executableDirectory + "/../share/countersign/templates",
            sourceTreeRoot + "/www/templates",
            "/usr/share/countersign/templates",
        ]
        return candidates.first { access($0 + "/layout.html", R_OK) == 0 } ?? candidates[1]
    }

    private static var executableDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "." }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    /// Sources/Countersign/Commands/Commands.swift → the repository root.
    private static var sourceTreeRoot: String {
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }
}
