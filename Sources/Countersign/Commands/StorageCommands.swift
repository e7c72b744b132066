import Config
import Storage

/// `countersign storage copy --from-sqlite PATH`: moves a site from one machine's SQLite file to
/// the PostgreSQL database of the config, so that pools on several machines can serve it. Only
/// through the storage protocols: the SQLite engine reads its rows out, the PostgreSQL engine
/// writes them in.
enum StorageCommands {
    /// Brings both schemas up to date, then copies every row in one PostgreSQL transaction and
    /// prints how many rows of each table it wrote. Refuses a target that already holds data.
    /// Rate-limit events are not copied: limits start afresh on the new database.
    static func copy(configPath: String, environment: [String: String], fromSQLite path: String) throws -> Int32 {
        let wrongTarget = "countersign: storage copy writes into PostgreSQL: \(configPath) must set storage.provider = postgres and storage.url"
        // Asked before the services open their storage, which would create an empty SQLite file
        // (an unreadable config is reported by `loadServices`, before any storage is opened).
        let config = Config(path: configPath, environment: environment)
        guard !config.problems.isEmpty || config.string("storage.provider", default: "sqlite") == "postgres" else {
            CountersignCommand.printError(wrongTarget)
            return 2
        }
        let services = try Commands.loadServices(configPath: configPath, environment: environment)
        // The engine itself, not the metered view the pages use (copied events are not new ones).
        let storage = (services.storage as? MeteredStorage)?.backend ?? services.storage
        guard let target = storage as? any StorageImporting else {
            CountersignCommand.printError(wrongTarget)
            return 2
        }
        guard let source = try StorageProviders.existingSQLite(path: path, clock: services.clock, random: services.random) else {
            CountersignCommand.printError("countersign: no SQLite database at \(path)")
            return 1
        }
        // The same forward migrations `serve` would apply at start, so both sides hold the
        // tables this build reads and writes.
        let upgraded = try source.migrate()
        if !upgraded.isEmpty { print("countersign: brought \(path) up to date first: applied \(upgraded.joined(separator: ", "))") }
        try target.migrate()
        let counts = try target.importAll { write in try source.exportAll(write) }
        print("countersign: copied \(path) into the PostgreSQL database of \(configPath)")
        for table in StorageTable.allCases {
            print("  \(table.rawValue): \(counts[table] ?? 0)")
        }
        print("  rate-limit events: not copied (limits start afresh)")
        return 0
    }
}
