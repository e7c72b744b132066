public import Crypto
import FoundationEssentials
public import Storage
public import Timekeeping
#if canImport(Glibc)
import Glibc
#endif

/// Reading a whole SQLite database out as `StorageRow`s, for `countersign storage copy`: one row
/// at a time (nothing but the current row is held in memory), every table from one snapshot.
extension SQLiteStorage: StorageExporting {
    /// An existing database file, opened as it is: nil when there is no file at `path` (opening
    /// would create an empty one). Its permissions are left alone, unlike `init(path:mode:…)`.
    public static func openExisting(path: String, clock: any WallClock, random: any RandomSource) throws -> SQLiteStorage? {
        guard access(path, F_OK) == 0 else { return nil }
        return SQLiteStorage(connection: try SQLiteConnection(path: path), clock: clock, random: random)
    }

    public func exportAll(_ each: (StorageRow) throws -> Void) throws {
        let pending = try migrator.pendingMigrations()
        let unknown = try migrator.unknownMigrations()
        guard pending.isEmpty, unknown.isEmpty else {
            throw StorageCopyError.schemaMismatch(pending: pending, unknown: unknown)
        }
        // A read transaction: every table from the same snapshot, even if a pool still writes
        // (in WAL mode it goes on writing meanwhile; what it writes later is not copied).
        try connection.execute("BEGIN DEFERRED")
        defer { if connection.isInTransaction { try? connection.execute("ROLLBACK") } }
        try forEachRow("SELECT \(SQLiteUserStore.columns) FROM \"AspNetUsers\" ORDER BY \"Id\"") {
            try each(.user(try SQLiteUserStore.record($0)))
        }
        try forEachRow("SELECT user_id, registered_at FROM countersign_registrations ORDER BY user_id") {
            try each(.registration(userId: $0.string(at: 0), registeredAt: Date(timeIntervalSince1970: $0.double(at: 1))))
        }
        try forEachRow("SELECT \(SQLiteSessionStore.columns) FROM countersign_sessions ORDER BY created_at, id_hash") {
            try each(.session(SQLiteSessionStore.record($0)))
        }
        try forEachRow("SELECT \(SQLiteVerificationStore.columns) FROM countersign_phone_verifications ORDER BY user_id, purpose") {
            try each(.verification(try SQLiteVerificationStore.record($0)))
        }
        // A user's set at a time, as the store replaces them.
        var codes: (userId: String, hashes: [String])?
        try forEachRow("SELECT user_id, code_hash FROM countersign_recovery_codes ORDER BY user_id, code_hash") {
            let userId = $0.string(at: 0)
            if let set = codes, set.userId != userId {
                try each(.recoveryCodes(userId: set.userId, hashes: set.hashes))
                codes = nil
            }
            codes = (userId, (codes?.hashes ?? []) + [$0.string(at: 1)])
        }
        if let set = codes { try each(.recoveryCodes(userId: set.userId, hashes: set.hashes)) }
        try forEachRow("""
            SELECT time, kind, user_id, ip_address, phone_number, detail FROM countersign_security_events ORDER BY id
            """) {
            try each(.securityEvent(SQLiteSecurityEventLog.event($0)))
        }
        // Expired blocks too: the copy is of the table, not of what is in force today.
        try forEachRow("SELECT phone_number, blocked_at, until FROM countersign_blocked_numbers ORDER BY blocked_at, phone_number") {
            try each(.blockedNumber(BlockedNumber(phoneNumber: $0.string(at: 0), blockedAt: Date(timeIntervalSince1970: $0.double(at: 1)),
                                                  until: $0.optionalDouble(at: 2).map(Date.init(timeIntervalSince1970:)))))
        }
        try connection.execute("COMMIT")
    }

    /// Steps through the rows of `sql` without collecting them.
    private func forEachRow(_ sql: String, _ body: (Statement) throws -> Void) throws {
        _ = try connection.query(sql, [], body)
    }
}
