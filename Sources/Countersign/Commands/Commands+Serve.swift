import Transport
#if canImport(Glibc)
import Glibc
#endif

/// `countersign serve` (the default), in its three ways: a worker under a supervisor,
/// spawn-fcgi or mod_fcgid; one CGI request; or the supervisor itself.
extension Commands {
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
}
