import Transport
#if canImport(Glibc)
import Glibc
#endif

/// `countersign serve` (the default), in its three ways: a worker under a supervisor,
/// spawn-fcgi or mod_fcgid; one CGI request; or the supervisor itself.
extension Commands {
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
            services.log.info("listening on \(passed.address) passed by systemd (socket activation) with \(server.workers) workers")
        } else {
            socket = try ListeningSocket.bind(server.listen, mode: mode_t(server.listenMode), owner: server.listenOwner, group: server.listenGroup)
            services.log.info("listening on \(server.listen) with \(server.workers) workers")
        }
        let statusPath = PoolStatusFile.path(for: server.listen, configPath: configPath)
        let status: PoolStatusFile
        do {
            status = try PoolStatusFile.create(path: statusPath)
        } catch {
            // Serving matters more than being watched: go on, each worker counting for itself.
            services.log.error("cannot create the pool status file: \(error); `countersign status` and pool-wide /Metrics are unavailable")
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
                    services.log.info("server.listen changed to \(settings.server.listen); a reload keeps the socket, restart to move it")
                }
                return .accepted(.init(workers: settings.server.workers, shutdownTimeout: settings.server.shutdownTimeout, workerArguments: arguments))
            },
            log: { [log = services.log] in log.info($0) }
        )
        return supervisor.run()
    }
}
