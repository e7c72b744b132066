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
    static func loadServices(configPath: String, environment: [String: String], status: PoolStatusFile = .anonymous()) throws -> Services {
        let config = Config(path: configPath, environment: environment)
        let services = try Services.load(config: config, shippedTemplates: ShippedFiles.templatesDirectory, status: status)
        for warning in config.warnings { CountersignCommand.printError(warning.description) }
        if let reason = services.passwordPolicy.dictionaryUnavailableReason {
            Log.error("password dictionary check disabled: \(reason) (install cracklib-runtime)")
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
        PhoneServices.check(config: config, settings: settings)
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

    /// A worker: a listening socket is already on fd 0 (our supervisor, spawn-fcgi, mod_fcgid).
    /// Under our supervisor it finds the pool's status file and its slot in the environment.
    static func serveAsWorker(configPath: String, environment: [String: String]) throws -> Int32 {
        var status = PoolStatusFile.anonymous()
        var slot: Int?
        if let path = environment[Supervisor.statusFileVariable], !path.isEmpty,
           let index = environment[Supervisor.slotVariable].flatMap({ Int($0) }),
           let shared = PoolStatusFile.open(path: path, writable: true) {
            status = shared
            slot = index
        }
        let services = try loadServices(configPath: configPath, environment: environment, status: status)
        try services.bringSchemaUpToDateIfReachable()
        let worker = FastCGIWorker(
            responder: Application(services: services),
            settings: .init(maxBody: services.settings.server.maxBody, maxRequests: services.settings.server.maxRequests),
            status: status, slot: slot
        )
        try worker.run()
        return 0
    }

    /// Plain CGI: answer the one request in the environment and exit.
    static func serveCGI(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.bringSchemaUpToDateIfReachable()
        CGIGateway.serveOneRequest(responder: Application(services: services), environment: environment, maxBody: services.settings.server.maxBody)
        return 0
    }

    /// The supervisor: validate everything, bring the schema up to date, bind (or take the
    /// socket systemd passed), create the status file, run the pool.
    static func supervise(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.bringSchemaUpToDateIfReachable()
        Maintenance(services: services).run()
        let server = services.settings.server
        let socket: ListeningSocket
        if let passed = try ListeningSocket.passedBySystemd(environment: environment) {
            socket = passed
            Log.info("listening on \(passed.address) passed by systemd (socket activation) with \(server.workers) workers")
        } else {
            socket = try ListeningSocket.bind(server.listen, mode: mode_t(server.listenMode), owner: server.listenOwner, group: server.listenGroup)
            Log.info("listening on \(server.listen) with \(server.workers) workers")
        }
        let statusPath = PoolStatusFile.path(for: server.listen, configPath: configPath)
        let status: PoolStatusFile
        do {
            status = try PoolStatusFile.create(path: statusPath)
        } catch {
            // Serving matters more than being watched: go on, each worker counting for itself.
            Log.error("cannot create the pool status file: \(error); `countersign status` and pool-wide /Metrics are unavailable")
            status = .anonymous()
        }
        let arguments = ["serve", "--config", configPath]
        let supervisor = Supervisor(
            socket: socket,
            settings: .init(workers: server.workers, shutdownTimeout: server.shutdownTimeout, workerArguments: arguments),
            status: status,
            reload: {
                let (problems, settings) = configProblems(configPath: configPath, environment: environment)
                guard problems.isEmpty else { return .refused(problems.map(\.description).joined(separator: "\n")) }
                if settings.server.listen != server.listen {
                    Log.info("server.listen changed to \(settings.server.listen); a reload keeps the socket, restart to move it")
                }
                return .accepted(.init(workers: settings.server.workers, shutdownTimeout: settings.server.shutdownTimeout, workerArguments: arguments))
            },
            log: { Log.info($0) }
        )
        return supervisor.run()
    }

    static func sendTestSms(configPath: String, environment: [String: String], number: String) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        return try PhoneServices.sendTestMessage(services: services, number: number)
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
