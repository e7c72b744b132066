public import Timekeeping

/// Named, forward-only schema migrations for PostgreSQL, applied in order, each in its own
/// transaction and recorded in `countersign_migrations(name, applied_at)` — the same names as
/// SQLite's, so one list of names describes the schema on both engines.
///
/// Pools on many machines may start or run `migrate` at once: the whole run holds a
/// session-level advisory lock (`pg_advisory_lock`), so one process applies the migrations
/// while the others wait, then find them recorded and apply nothing.
public final class PostgresMigrator {
    public struct Migration {
        public let name: String
        public let sql: String
    }

    public static let tableName = "countersign_migrations"
    /// Any fixed 64-bit number; this one spells "cntrsign".
    static let advisoryLockKey = 0x636E_7472_7369_676E

    private let connection: PostgresConnection
    private let clock: any WallClock
    public private(set) var migrations: [Migration] = []

    public init(connection: PostgresConnection, clock: any WallClock) {
        self.connection = connection
        self.clock = clock
    }

    public func register(_ name: String, sql: String) {
        precondition(!migrations.contains { $0.name == name }, "migration \(name) registered twice")
        migrations.append(Migration(name: name, sql: sql))
    }

    public func pendingMigrations() throws -> [String] {
        let applied = try recordedNames()
        return migrations.map(\.name).filter { !applied.contains($0) }
    }

    @discardableResult
    public func migrate() throws -> [String] {
        try connection.run("SELECT pg_advisory_lock($1)", [Self.advisoryLockKey])
        defer { _ = try? connection.run("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey]) }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(Self.tableName) (
                name text NOT NULL PRIMARY KEY,
                applied_at timestamp with time zone NOT NULL
            )
            """)
        let alreadyApplied = try recordedNames()
        var appliedNow: [String] = []
        for migration in migrations where !alreadyApplied.contains(migration.name) {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.run("INSERT INTO \(Self.tableName) (name, applied_at) VALUES ($1, to_timestamp($2))",
                                   [migration.name, clock.now])
            }
            appliedNow.append(migration.name)
        }
        return appliedNow
    }

    private func recordedNames() throws -> Set<String> {
        let exists = try connection.queryFirst("SELECT to_regclass($1) IS NOT NULL", [Self.tableName]) { $0.bool(at: 0) } ?? false
        guard exists else { return [] }
        return Set(try connection.query("SELECT name FROM \(Self.tableName)") { $0.string(at: 0) })
    }
}
