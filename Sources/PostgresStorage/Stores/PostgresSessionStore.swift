import FoundationEssentials
import Storage

/// `SessionStore` on `countersign_sessions` (times as Unix seconds).
public final class PostgresSessionStore: SessionStore {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func insert(_ session: SessionRecord) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_sessions
                    (id_hash, user_id, security_stamp, created_at, last_seen_at, expires_at, persistent, client_address)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, [session.idHash, session.userId, session.securityStamp, session.createdAt, session.lastSeenAt,
                      session.expiresAt, session.persistent, session.clientAddress])
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StorageError.duplicateSession
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw StorageError.userNotFound
        }
    }

    private static let columns = "id_hash, user_id, security_stamp, created_at, last_seen_at, expires_at, persistent, client_address"

    public func session(idHash: String) throws -> SessionRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM countersign_sessions WHERE id_hash = $1", [idHash], Self.record)
    }

    public func sessions(userId: String) throws -> [SessionRecord] {
        try connection.query("SELECT \(Self.columns) FROM countersign_sessions WHERE user_id = $1 ORDER BY created_at",
                             [userId], Self.record)
    }

    private static let sessionAndUserSQL = """
        SELECT \(PostgresUserStore.columns), s.id_hash, s.user_id, s.security_stamp, s.created_at, s.last_seen_at, s.expires_at,
            s.persistent, s.client_address
        FROM countersign_sessions s JOIN "AspNetUsers" u ON u."Id" = s.user_id WHERE s.id_hash = $1
        """

    public func sessionAndUser(idHash: String) throws -> (session: SessionRecord, user: UserRecord)? {
        // The user's columns first, so the user store's reader reads them at their usual places.
        try connection.queryFirst(Self.sessionAndUserSQL, [idHash]) { row in (session: Self.record(row, from: 17), user: PostgresUserStore.record(row)) }
    }

    private static func record(_ row: PostgresRow) -> SessionRecord {
        record(row, from: 0)
    }

    /// A session from the row's columns starting at `first`.
    private static func record(_ row: PostgresRow, from first: Int) -> SessionRecord {
        SessionRecord(idHash: row.string(at: first + 0), userId: row.string(at: first + 1), securityStamp: row.string(at: first + 2),
                      createdAt: row.date(at: first + 3), lastSeenAt: row.date(at: first + 4), expiresAt: row.date(at: first + 5),
                      persistent: row.bool(at: first + 6), clientAddress: row.optionalString(at: first + 7))
    }

    public func touch(idHash: String, at date: Date) throws {
        try connection.run("UPDATE countersign_sessions SET last_seen_at = $1 WHERE id_hash = $2", [date, idHash])
    }

    public func delete(idHash: String) throws {
        try connection.run("DELETE FROM countersign_sessions WHERE id_hash = $1", [idHash])
    }

    public func deleteAll(userId: String, except idHash: String?) throws {
        if let idHash {
            try connection.run("DELETE FROM countersign_sessions WHERE user_id = $1 AND id_hash <> $2", [userId, idHash])
        } else {
            try connection.run("DELETE FROM countersign_sessions WHERE user_id = $1", [userId])
        }
    }

    public func deleteExpired(now: Date, idleTimeout: TimeInterval) throws {
        try connection.run("DELETE FROM countersign_sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                           [now, now.addingTimeInterval(-idleTimeout)])
    }
}
