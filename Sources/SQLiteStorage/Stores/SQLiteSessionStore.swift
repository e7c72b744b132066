public import FoundationEssentials
public import Storage

/// `SessionStore` on `countersign_sessions` (dates as REAL Unix seconds).
public final class SQLiteSessionStore: SessionStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func insert(_ session: SessionRecord) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_sessions
                    (id_hash, user_id, security_stamp, created_at, last_seen_at, expires_at, persistent, client_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [session.idHash, session.userId, session.securityStamp, session.createdAt.timeIntervalSince1970,
                      session.lastSeenAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970, session.persistent,
                      session.clientAddress])
        } catch is SQLiteUniqueViolation {
            throw StorageError.duplicateSession
        } catch let error as SQLiteError where error.code == .constraintForeignKey {
            throw StorageError.userNotFound
        }
    }

    static let columns = "id_hash, user_id, security_stamp, created_at, last_seen_at, expires_at, persistent, client_address"

    public func session(idHash: String) throws -> SessionRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM countersign_sessions WHERE id_hash = ?", [idHash], Self.record)
    }

    public func sessions(userId: String) throws -> [SessionRecord] {
        try connection.query("SELECT \(Self.columns) FROM countersign_sessions WHERE user_id = ? ORDER BY created_at",
                             [userId], Self.record)
    }

    private static let sessionAndUserSQL = """
        SELECT \(SQLiteUserStore.columns), s.id_hash, s.user_id, s.security_stamp, s.created_at, s.last_seen_at, s.expires_at,
            s.persistent, s.client_address
        FROM countersign_sessions s JOIN "AspNetUsers" u ON u."Id" = s.user_id WHERE s.id_hash = ?
        """

    public func sessionAndUser(idHash: String) throws -> (session: SessionRecord, user: UserRecord)? {
        // The user's columns first, so the user store's reader reads them at their usual places.
        try connection.queryFirst(Self.sessionAndUserSQL, [idHash]) { row in (session: Self.record(row, from: 17), user: try SQLiteUserStore.record(row)) }
    }

    static func record(_ row: Statement) -> SessionRecord {
        record(row, from: 0)
    }

    /// A session from the row's columns starting at `first`.
    private static func record(_ row: Statement, from first: Int) -> SessionRecord {
        SessionRecord(
            idHash: row.string(at: first + 0),
            userId: row.string(at: first + 1),
            securityStamp: row.string(at: first + 2),
            createdAt: Date(timeIntervalSince1970: row.double(at: first + 3)),
            lastSeenAt: Date(timeIntervalSince1970: row.double(at: first + 4)),
            expiresAt: Date(timeIntervalSince1970: row.double(at: first + 5)),
            persistent: row.bool(at: first + 6),
            clientAddress: row.optionalString(at: first + 7)
        )
    }

    public func touch(idHash: String, at date: Date) throws {
        try connection.run("UPDATE countersign_sessions SET last_seen_at = ? WHERE id_hash = ?",
                           [date.timeIntervalSince1970, idHash])
    }

    public func delete(idHash: String) throws {
        try connection.run("DELETE FROM countersign_sessions WHERE id_hash = ?", [idHash])
    }

    public func deleteAll(userId: String, except idHash: String?) throws {
        if let idHash {
            try connection.run("DELETE FROM countersign_sessions WHERE user_id = ? AND id_hash <> ?", [userId, idHash])
        } else {
            try connection.run("DELETE FROM countersign_sessions WHERE user_id = ?", [userId])
        }
    }

    public func deleteExpired(now: Date, idleTimeout: TimeInterval) throws {
        let now = now.timeIntervalSince1970
        try connection.run("DELETE FROM countersign_sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                           [now, now - idleTimeout])
    }
}
