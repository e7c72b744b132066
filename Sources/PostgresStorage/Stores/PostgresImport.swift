import FoundationEssentials
public import Storage

/// Filling an empty PostgreSQL database from another storage's rows, for `countersign storage
/// copy`: through this engine's own stores (so every column is written exactly as the stores
/// write it: booleans, `timestamptz` lockout ends, `bytea` code hashes), in one transaction.
extension PostgresStorage: StorageImporting {
    public func importAll(_ rows: (_ write: (StorageRow) throws -> Void) throws -> Void) throws -> [StorageTable: Int] {
        try connection.transaction {
            // Held to the end: registrations and sign-ins of a pool already pointed at this
            // database wait for the copy, and a second copy started at once waits, then finds
            // the rows of the first and refuses.
            try connection.execute(#"LOCK TABLE "AspNetUsers" IN EXCLUSIVE MODE"#)
            let held = try heldRows()
            guard held.isEmpty else { throw StorageCopyError.targetNotEmpty(held) }
            var counts: [StorageTable: Int] = [:]
            try rows { row in
                switch row {
                case .user(let user): try users.insert(user)
                case .registration(let userId, let registeredAt): try registrations.recordRegistration(userId: userId, at: registeredAt)
                case .session(let session): try sessions.insert(session)
                case .verification(let pending): try verifications.save(pending)
                case .recoveryCodes(let userId, let hashes): try recoveryCodes.replaceAll(userId: userId, hashes: hashes)
                // In export order, so the new ids keep the order of appending.
                case .securityEvent(let event): try events.append(event)
                case .blockedNumber(let block): try blockedNumbers.block(block)
                }
                counts[row.table, default: 0] += row.rowCount
            }
            return counts
        }
    }

    /// The tables that hold rows, with their counts. Users, events and blocks are the tables a
    /// site writes without a user's row (sessions, codes and registrations go with a user).
    private func heldRows() throws -> [StorageTable: Int] {
        var held: [StorageTable: Int] = [:]
        for (table, sql) in [(StorageTable.users, #"SELECT count(*) FROM "AspNetUsers""#),
                             (.securityEvents, "SELECT count(*) FROM countersign_security_events"),
                             (.blockedNumbers, "SELECT count(*) FROM countersign_blocked_numbers")] {
            let count = try connection.queryFirst(sql) { $0.int(at: 0) } ?? 0
            if count > 0 { held[table] = count }
        }
        return held
    }
}
