/// `countersign migrate`: bring the schema up to date and say what was applied.
extension Commands {
    static func migrate(configPath: String, environment: [String: String]) throws -> Int32 {
        let services = try loadServices(configPath: configPath, environment: environment)
        let applied = try services.storage.migrate()
        print(applied.isEmpty ? "countersign: schema is up to date" : "countersign: applied \(applied.joined(separator: ", "))")
        return 0
    }
}
