import FoundationEssentials
public import Timekeeping

/// Named, forward-only schema migrations, applied in the order they were registered, each in its
/// own transaction and recorded in `countersign_migrations(name, applied_at)`.
///
/// Several worker processes may start at once and all call `migrate()`: each migration runs
/// under `BEGIN IMMEDIATE` and checks again, inside that transaction, that no other process
/// recorded it meanwhile, so every migration runs exactly once.
///
/// A migration is never edited or removed once shipped; a change to the schema is a new
/// migration. Names recorded in the table but not registered (written by a newer build) are
/// left alone.
public final class Migrator {
    /// One named step of the schema.
    public struct Migration {
        public let name: String
        let apply: (SQLiteConnection) throws -> Void
    }

    public static let tableName = "countersign_migrations"

    private let connection: SQLiteConnection
    private let clock: any WallClock
    public private(set) var migrations: [Migration] = []

    /// - Parameter clock: stamps `applied_at`.
    public init(connection: SQLiteConnection, clock: any WallClock) {
        self.connection = connection
        self.clock = clock
    }

    /// Adds a migration after those already registered. Names must be unique; by convention
    /// they start with a number that sorts in order ("0001_aspnet_users").
    public func register(_ name: String, _ apply: @escaping (SQLiteConnection) throws -> Void) {
        precondition(!migrations.contains { $0.name == name }, "migration \(name) registered twice")
        migrations.append(Migration(name: name, apply: apply))
    }

    /// Adds a migration made of one SQL script.
    public func register(_ name: String, sql: String) {
        register(name) { try $0.execute(sql) }
    }

    /// Names of the registered migrations already applied to this database, in registration
    /// order. Reads only: a database never migrated has none, and is left untouched.
    public func appliedMigrations() throws -> [String] {
        let applied = try recordedNames()
        return migrations.map(\.name).filter(applied.contains)
    }

    /// Names recorded as applied that this build does not register (a newer build applied
    /// them), sorted. Reads only.
    public func unknownMigrations() throws -> [String] {
        let registered = Set(migrations.map(\.name))
        return try recordedNames().filter { !registered.contains($0) }.sorted()
    }

    /// Names of the registered migrations not yet applied, in the order `migrate()` would apply
    /// them. Reads only, so `countersign migrate` can report before changing anything.
    public func pendingMigrations() throws -> [String] {
        let applied = try recordedNames()
        return migrations.map(\.name).filter { !applied.contains($0) }
    }

    /// Applies every pending migration; returns the names this call applied (empty when the
    /// schema was already up to date, or another process got there first).
    @discardableResult
    public func migrate() throws -> [String] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(Self.tableName) (
                name TEXT NOT NULL PRIMARY KEY,
                applied_at TEXT NOT NULL
            )
            """)
        let alreadyApplied = try recordedNames()
        var appliedNow: [String] = []
        for migration in migrations where !alreadyApplied.contains(migration.name) {
            let applied = try connection.transaction {
                // Checked again under the write lock: another process may have applied it
                // between our first read and this transaction.
                guard try !isRecorded(migration.name) else { return false }
                try migration.apply(connection)
                try connection.run("INSERT INTO \(Self.tableName) (name, applied_at) VALUES (?, ?)",
                                   [migration.name, DateTimeOffsetText.format(clock.now)])
                return true
            }
            if applied { appliedNow.append(migration.name) }
        }
        return appliedNow
    }

    private func recordedNames() throws -> Set<String> {
        let tableExists = try connection.queryFirst(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [Self.tableName]) { _ in true } ?? false
        guard tableExists else { return [] }
        return Set(try connection.query("SELECT name FROM \(Self.tableName)") { $0.string(at: 0) })
    }

    private func isRecorded(_ name: String) throws -> Bool {
        try connection.queryFirst("SELECT 1 FROM \(Self.tableName) WHERE name = ?", [name]) { _ in true } ?? false
    }
}
